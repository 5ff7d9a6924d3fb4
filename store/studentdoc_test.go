package store

import (
	"reflect"
	"strings"
	"testing"
)

// TestRosterProjectionMatchesRow: the projection Roster sends names exactly
// the fields rosterDoc decodes, so adding a column to one without the
// other fails here rather than showing an empty column.
func TestRosterProjectionMatchesRow(t *testing.T) {
	var tags []string
	rt := reflect.TypeOf(rosterDoc{})
	for i := range rt.NumField() {
		tags = append(tags, strings.Split(rt.Field(i).Tag.Get("bson"), ",")[0])
	}
	var keys []string
	for _, e := range rosterProjection() {
		keys = append(keys, e.Key)
	}
	if !reflect.DeepEqual(keys, tags) {
		t.Errorf("projection %v, rosterDoc fields %v", keys, tags)
	}
	for _, k := range keys {
		if k == "grades" {
			t.Error("the roster projection reads the grades array")
		}
	}
}
