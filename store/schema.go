package store

// SchemaVersion is the shape of the documents this build writes and
// reads. A backup records it, and restore refuses a backup made by a build
// with a newer schema (this one would misread its documents). Bump it with
// any change that needs existing documents rewritten.
const SchemaVersion = 1
