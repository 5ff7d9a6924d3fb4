package analytics

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"scolarite/domain"
)

// The Spark engine's decoding is Spark SQL that applies decode.go's rules
// message by message (see sparkDecodeSQL); this file writes that SQL.
// Regular expressions are Java's; `\z` (not `$`, which also matches
// before a final line break) ends them.

// sqlString quotes s as a Spark SQL string literal, on one line.
func sqlString(s string) string { return "'" + sqlEscape(s) + "'" }

// sqlEscape is s inside a Spark SQL string literal.
func sqlEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`).Replace(s)
}

// goSpace is the class of unicode.IsSpace (strings.TrimSpace,
// strings.Fields, encoding/csv's TrimLeadingSpace).
const goSpace = `\t\n\x{0B}\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`

// trimSQL is strings.TrimSpace of the SQL expression x.
func trimSQL(x string) string {
	return fmt.Sprintf("regexp_replace(%s, %s, '')", x, sqlString(`^[`+goSpace+`]+|[`+goSpace+`]+\z`))
}

// cleanSQL is clean (trimmed, inner runs of white space as one space).
func cleanSQL(x string) string {
	return fmt.Sprintf("regexp_replace(%s, %s, ' ')", trimSQL(x), sqlString(`[`+goSpace+`]+`))
}

// upperSQL is strings.ToUpper, which maps each character alone (Unicode's
// simple mapping: ß stays ß) where Spark's upper (Java's) uses the full
// mapping (ß becomes SS). Text of Latin letters without those few goes to
// upper; the rest is mapped character by character with Go's own table.
func upperSQL(x string) string {
	return fmt.Sprintf(`CASE WHEN %[1]s RLIKE %[2]s AND NOT %[1]s RLIKE %[3]s THEN upper(%[1]s)
		ELSE array_join(transform(regexp_extract_all(%[1]s, '(?s)(.)', 1), c -> coalesce(element_at(%[4]s, c), c)), '') END`,
		x, sqlString(`^[\x{0}-\x{24F}]*\z`), sqlString(`[\x{DF}\x{149}\x{1F0}]`), upperTable())
}

// upperTable is Go's upper case of every character it changes,
// as a Spark map.
func upperTable() string {
	var from, to []string
	for r := 'a'; r <= unicode.MaxRune; r++ {
		if u := unicode.ToUpper(r); u != r && (r < 0xD800 || r > 0xDFFF) {
			from = append(from, sqlString(string(r)))
			to = append(to, sqlString(string(u)))
		}
	}
	return "map_from_arrays(array(" + strings.Join(from, ",") + "), array(" + strings.Join(to, ",") + "))"
}

// ParseFloat's syntax (decimal and hexadecimal, underscores between
// digits), and its words for infinities and NaN.
const (
	decDigits = `[0-9]+(?:_[0-9]+)*`
	hexDigits = `[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*`
	goFloat   = `^[+-]?(?:(?:` + decDigits + `(?:\.(?:` + decDigits + `)?)?|\.` + decDigits + `)(?:[eE][+-]?` + decDigits + `)?` +
		`|0[xX]_?(?:` + hexDigits + `(?:\.(?:` + hexDigits + `)?)?|\.` + hexDigits + `)[pP][+-]?` + decDigits + `)\z`
	goFloatWords = `^(?i)[+-]?(?:inf|infinity|nan)\z`
)

// ageSQL gives the age (a double) and the reason it is refused (NULL when
// it is not) of parseAge over the SQL text expression s (already
// trimmed); number is a JSON number's value, when the age was one.
func ageSQL(s, number string) (value, reason string) {
	value = fmt.Sprintf("coalesce(%s, CASE WHEN %s RLIKE %s THEN CAST(replace(%s, '_', '') AS DOUBLE) END)",
		number, s, sqlString(goFloat), s)
	reason = fmt.Sprintf(`CASE WHEN %[1]s IS NULL AND coalesce(%[2]s RLIKE %[3]s, false)
			THEN concat('age: must be whole years from %[4]d to %[5]d (got ', %[2]s, ')')
		WHEN %[1]s IS NULL THEN concat('age: not a number ("', replace(replace(coalesce(substr(%[2]s, 1, 40), ''), '\\', '\\\\'), '"', '\\"'), '")')
		WHEN %[1]s <> floor(%[1]s) OR %[1]s < %[4]d OR %[1]s > %[5]d
		THEN concat('age: must be whole years from %[4]d to %[5]d (got ', coalesce(%[2]s, CAST(%[1]s AS STRING)), ')') END`,
		value, s, sqlString(goFloatWords), MinValidAge, MaxValidAge)
	return value, reason
}

// timeSQL is true when the SQL text t is a time Time.UnmarshalJSON takes
// (RFC 3339 as time.Parse reads it: one- or two-digit hours, a fraction
// after '.' or ',', days checked against the month, offsets up to 24:60).
func timeSQL(t string) string {
	re := sqlString(`^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:[.,][0-9]+)?(?:Z|[+-]([0-9]{2}):([0-9]{2}))\z`)
	g := func(i int) string { return fmt.Sprintf("CAST(regexp_extract(%s, %s, %d) AS INT)", t, re, i) }
	leap := fmt.Sprintf("(%[1]s %% 4 = 0 AND (%[1]s %% 100 <> 0 OR %[1]s %% 400 = 0))", g(1))
	days := fmt.Sprintf("CASE WHEN %[1]s = 2 THEN CASE WHEN %[2]s THEN 29 ELSE 28 END WHEN %[1]s IN (4, 6, 9, 11) THEN 30 ELSE 31 END", g(2), leap)
	return fmt.Sprintf(`(%s RLIKE %s AND %s BETWEEN 1 AND 12 AND %s BETWEEN 1 AND %s AND %s <= 23 AND %s <= 59 AND %s <= 59
		AND coalesce(%s, 0) <= 24 AND coalesce(%s, 0) <= 60)`,
		t, re, g(2), g(3), days, g(4), g(5), g(6), g(7), g(8))
}

// csvField is one field of encoding/csv with TrimLeadingSpace: quoted
// ("" is a quote) or not (no quote in it); two groups, one of them empty.
const csvField = `[` + goSpace + `]*+(?:"([^"]*+(?:""[^"]*+)*+)"|([^",]*+))`

// csvLine is a line of exactly four such fields.
const csvLine = `^` + csvField + `,` + csvField + `,` + csvField + `,` + csvField + `\z`

// jsonStrings matches JSON strings (escapes included); jsonFlat is an
// object without nested values, once its strings are emptied.
const (
	jsonStrings = `"[^"\\]*+(?:\\.[^"\\]*+)*+"`
	jsonFlat    = `^\{[^{}\[\]]*\}\z`
)

// member is the value of the JSON member name of the map m: exact name
// first, else a name equal but for ASCII case (encoding/json's rule).
func member(name string) string {
	return fmt.Sprintf("CASE WHEN m[%[1]s] IS NOT NULL OR NOT upper_keys THEN m[%[1]s] ELSE element_at(map_values(map_filter(m, (k, x) -> lower(k) = %[1]s)), 1) END", sqlString(name))
}

// kindSQL is 'null' for an absent or null member, else its variant type
// (STRING, BIGINT, DECIMAL(p,s), DOUBLE, BOOLEAN, OBJECT<…>, ARRAY<…>).
func kindSQL(v string) string {
	return fmt.Sprintf("CASE WHEN %[1]s IS NULL OR is_variant_null(%[1]s) THEN 'null' ELSE schema_of_variant(%[1]s) END", v)
}

// sparkDecodeSQL is the query over the Kafka view that decodes every
// message with decode.go's rules and returns, in one pass, per partition:
//   - 'm' rows: messages counted by format and age (gs = "format:age"),
//     or rejected (gs = "rejected");
//   - 'a' rows: keyless students (old formats, events without a key) by
//     major (gs) and age (gi);
//   - 'k' rows: the latest decoded event of each matricule (gb) in the
//     range, with its record;
//   - 'd' rows: each rejected message (its key, value, headers and
//     reason), for the dead-letter topic.
func sparkDecodeSQL(view string) string {
	types := make([]string, len(domain.EventTypes))
	for i, t := range domain.EventTypes {
		types[i] = sqlString(t)
	}
	ageValue, ageReason := ageSQL("age_s", "age_n")
	csvPart := func(quoted, plain int) string {
		return fmt.Sprintf("concat(replace(regexp_extract(v, %[1]s, %[2]d), '\"\"', '\"'), regexp_extract(v, %[1]s, %[3]d))",
			sqlString(csvLine), quoted, plain)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `WITH src AS (
	SELECT partition AS p, offset AS o, key AS k, value AS val, headers AS hdrs, unix_millis(timestamp) AS ts,
		%s AS v
	FROM %s),
kinds AS (
	SELECT *, CASE WHEN v = '' THEN 'empty' WHEN v LIKE '{%%' THEN 'json' WHEN v LIKE '[%%' THEN 'array' ELSE 'csv' END AS kind
	FROM src),
parsed AS (
	SELECT *, CASE WHEN kind = 'json' THEN try_parse_json(v) END AS doc,
		CASE WHEN kind = 'json' THEN regexp_replace(v, %s, '""') END AS bare,
		CASE WHEN kind = 'csv' AND instr(v, '"') > 0 THEN CASE WHEN v RLIKE %s THEN array(%s, %s, %s, %s) END
			WHEN kind = 'csv' THEN split(v, ',', -1) END AS parts
	FROM kinds),
objects AS (
	-- a valid JSON object with nothing after it (Spark's parser stops at its end)
	SELECT *, CASE WHEN doc IS NOT NULL AND (bare RLIKE %s OR (bare LIKE '%%}' AND
			aggregate(regexp_extract_all(bare, '([{}\\[\\]])', 1), named_struct('d', 0, 'n', 0, 'done', false),
				(acc, c) -> CASE WHEN acc.done THEN acc ELSE named_struct('d', acc.d + CASE WHEN c IN ('{', '[') THEN 1 ELSE -1 END,
					'n', acc.n + 1, 'done', acc.d + CASE WHEN c IN ('{', '[') THEN 1 ELSE -1 END = 0) END,
				acc -> acc.n) = size(regexp_extract_all(bare, '([{}\\[\\]])', 1))))
		THEN variant_get(doc, '$', 'map<string,variant>') END AS m
	FROM parsed),
keyed AS (
	SELECT *, coalesce(array_join(map_keys(m), '') RLIKE '[A-Z]', false) AS upper_keys FROM objects),
members AS (
	SELECT *, %s AS f_type, %s AS f_time, %s AS f_first, %s AS f_last, %s AS f_age, %s AS f_major, %s AS f_class
	FROM keyed),
kinded AS (
	SELECT *, %s AS t_type, %s AS t_time, %s AS t_first, %s AS t_last, %s AS t_age, %s AS t_major, %s AS t_class
	FROM members),
fields AS (
	SELECT p, o, k, val, hdrs, ts,
		CASE kind WHEN 'json' THEN CASE WHEN t_type = 'null' THEN 1 ELSE 0 END WHEN 'csv' THEN 2 END AS fmt,
		CASE WHEN kind = 'json' AND t_type = 'STRING' THEN variant_get(f_type, '$', 'string') END AS typ,
		CASE WHEN kind = 'json' AND t_time = 'STRING' THEN variant_get(f_time, '$', 'string') END AS tm,
		CASE
			WHEN kind = 'empty' THEN 'empty message'
			WHEN kind = 'array' THEN 'a JSON array: one student per message is expected'
			WHEN kind = 'json' AND m IS NULL THEN 'invalid JSON'
			WHEN kind = 'json' AND t_type NOT IN ('null', 'STRING') THEN 'type: not a string'
			WHEN kind = 'json' AND t_first NOT IN ('null', 'STRING') THEN 'first_name: not a string'
			WHEN kind = 'json' AND t_last NOT IN ('null', 'STRING') THEN 'last_name: not a string'
			WHEN kind = 'json' AND t_major NOT IN ('null', 'STRING') THEN 'major: not a string'
			WHEN kind = 'json' AND t_class NOT IN ('null', 'STRING') THEN 'class: not a string'
			WHEN kind = 'json' AND t_type = 'STRING' AND NOT array_contains(array(%s), variant_get(f_type, '$', 'string'))
				THEN concat('unknown event type "', substr(variant_get(f_type, '$', 'string'), 1, 40), '"')
			WHEN kind = 'json' AND t_type = 'STRING' AND t_time <> 'null' AND NOT coalesce(t_time = 'STRING' AND %s, false)
				THEN 'time: not an RFC 3339 time'
			WHEN kind = 'csv' AND v RLIKE '[\\r\\n]' THEN 'several lines: one student per message is expected'
			WHEN kind = 'csv' AND parts IS NULL THEN 'neither JSON nor CSV'
			WHEN kind = 'csv' AND size(parts) <> 4 THEN concat('neither JSON nor CSV first_name,last_name,age,major (', size(parts), ' fields)')
		END AS pre_reason,
		CASE WHEN kind = 'json' AND t_first = 'STRING' THEN variant_get(f_first, '$', 'string') WHEN kind = 'csv' THEN parts[0] ELSE '' END AS r_first,
		CASE WHEN kind = 'json' AND t_last = 'STRING' THEN variant_get(f_last, '$', 'string') WHEN kind = 'csv' THEN parts[1] ELSE '' END AS r_last,
		CASE WHEN kind = 'json' AND t_major = 'STRING' THEN variant_get(f_major, '$', 'string') WHEN kind = 'csv' THEN parts[3] ELSE '' END AS r_major,
		CASE WHEN kind = 'json' AND t_class = 'STRING' THEN variant_get(f_class, '$', 'string') ELSE '' END AS r_class,
		CASE WHEN kind = 'json' AND t_age = 'null' THEN 'missing' END AS age_missing,
		%s AS age_s,
		CASE WHEN kind = 'json' AND (t_age IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT') OR t_age LIKE 'DECIMAL%%')
			THEN variant_get(f_age, '$', 'double') END AS age_n
	FROM kinded),
ages AS (
	SELECT *, %s AS age_v, CASE WHEN age_missing IS NOT NULL THEN 'age: missing' ELSE %s END AS age_reason FROM fields),
named AS (
	SELECT *, %s AS first, %s AS last, %s AS major, %s AS class FROM ages),
decoded AS (
	SELECT p, o, k AS rawk, val, hdrs, ts, fmt, typ, tm, first, last, major, class,
		CASE WHEN fmt = 0 AND length(k) > 0 THEN k END AS ek,
		CAST(age_v AS INT) AS age,
		coalesce(pre_reason, age_reason, CASE WHEN first = '' OR last = '' OR major = '' THEN
			concat('missing ', concat_ws(', ', CASE WHEN first = '' THEN 'first_name' END,
				CASE WHEN last = '' THEN 'last_name' END, CASE WHEN major = '' THEN 'major' END)) END) AS reason
	FROM named),
grouped AS (
	SELECT p, r.kind, r.gs, r.gb, r.gi, count(*) AS n,
		max_by(CASE WHEN r.kind IN ('k', 'd') THEN named_struct('o', o, 'typ', typ, 'tm', tm, 'ts', ts,
			'first', first, 'last', last, 'age', age, 'major', major, 'class', class, 'reason', reason,
			'rawk', CASE WHEN r.kind = 'd' THEN rawk END, 'val', CASE WHEN r.kind = 'd' THEN val END,
			'hdrs', CASE WHEN r.kind = 'd' THEN to_json(hdrs) END) END, o) AS rec
	FROM decoded LATERAL VIEW inline(array(
		named_struct('kind', 'm', 'gs', CASE WHEN reason IS NULL THEN concat(fmt, ':', age) ELSE 'rejected' END,
			'gb', CAST(NULL AS BINARY), 'gi', CAST(0 AS BIGINT)),
		named_struct('kind', CASE WHEN reason IS NOT NULL THEN 'd' WHEN ek IS NOT NULL THEN 'k'
				WHEN typ = 'student.deleted' THEN '' ELSE 'a' END,
			'gs', CASE WHEN reason IS NULL AND ek IS NULL THEN major ELSE '' END,
			'gb', ek, 'gi', CAST(CASE WHEN reason IS NOT NULL THEN o WHEN ek IS NULL THEN age ELSE 0 END AS BIGINT)))) r
	WHERE r.kind <> ''
	GROUP BY p, r.kind, r.gs, r.gb, r.gi)
SELECT p, kind, gs, gb, gi, n, rec.o, rec.typ, rec.tm, rec.ts, rec.first, rec.last, rec.age, rec.major, rec.class,
	rec.reason, rec.rawk, rec.val, rec.hdrs
FROM grouped`,
		trimSQL("coalesce(CAST(value AS STRING), '')"), view,
		sqlString(jsonStrings), sqlString(csvLine), csvPart(1, 2), csvPart(3, 4), csvPart(5, 6), csvPart(7, 8),
		sqlString(jsonFlat),
		member("type"), member("time"), member("first_name"), member("last_name"), member("age"), member("major"), member("class"),
		kindSQL("f_type"), kindSQL("f_time"), kindSQL("f_first"), kindSQL("f_last"), kindSQL("f_age"), kindSQL("f_major"), kindSQL("f_class"),
		strings.Join(types, ", "), timeSQL("variant_get(f_time, '$', 'string')"),
		trimSQL("CASE WHEN kind = 'json' AND t_age = 'STRING' THEN variant_get(f_age, '$', 'string') WHEN kind = 'json' AND t_age <> 'null' THEN to_json(f_age) WHEN kind = 'csv' THEN parts[2] END"),
		ageValue, ageReason,
		upperSQL(cleanSQL("r_first")), upperSQL(cleanSQL("r_last")), cleanSQL("r_major"), cleanSQL("r_class"),
	)
	return b.String()
}

// sparkStatsSQL computes the table from the students' ages as cells
// (major, age, count), each cell unrolled into one row per student so
// that Spark's own aggregates (avg, stddev_samp, exact percentile: linear
// interpolation between order statistics, as stats.go) do the work; the
// empty grouping set is the overall figures.
func sparkStatsSQL(cells []statCell) string {
	var b strings.Builder
	b.WriteString("SELECT major, grouping(major) AS overall, count(*) AS n, avg(age) AS mean, stddev_samp(age) AS std, min(age) AS lo,\n")
	b.WriteString("\tpercentile(age, 0.25) AS q1, percentile(age, 0.5) AS median, percentile(age, 0.75) AS q3, max(age) AS hi\n")
	b.WriteString("FROM (SELECT major, a AS age FROM VALUES ('', 0, 0)")
	for _, c := range cells {
		b.WriteString(", (")
		b.WriteString(sqlString(c.major))
		b.WriteString(", ")
		b.WriteString(strconv.Itoa(c.age))
		b.WriteString(", ")
		b.WriteString(strconv.FormatInt(c.n, 10))
		b.WriteString(")")
	}
	b.WriteString(" AS t(major, age, n) LATERAL VIEW explode(array_repeat(age, CAST(n AS INT))) e AS a)\n")
	b.WriteString("GROUP BY GROUPING SETS ((major), ()) ORDER BY overall, major")
	return b.String()
}

// statCell is n students of a major at an age.
type statCell struct {
	major string
	age   int
	n     int64
}
