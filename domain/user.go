package domain

import (
	"slices"
	"strings"
	"time"
)

// Role decides what a user may do; see Authorize.
type Role string

const (
	RoleAdmin   Role = "admin"
	RoleTeacher Role = "teacher"
	RoleStudent Role = "student"
)

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	if err := CheckText("role", strings.TrimSpace(s), SingleLine); err != nil {
		return "", err
	}
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleAdmin, RoleTeacher, RoleStudent:
		return r, nil
	}
	return "", Invalid("role", "must be admin, teacher or student (got "+s+")")
}

// User is an account. PasswordHash never leaves the domain and the store: it
// has no JSON name and is cleared from audit entries.
type User struct {
	ID           string   `json:"id"`
	Username     string   `json:"username"`
	PasswordHash string   `json:"-"`
	Role         Role     `json:"role"`
	StudentID    string   `json:"student_id,omitempty"`
	Classes      []string `json:"classes,omitempty"`
	Disabled     bool     `json:"disabled"`
	// SSHKeys are the public keys that open a session over SSH without
	// the password; a key belongs to one account at most.
	SSHKeys []SSHKey `json:"ssh_keys,omitempty"`
	// Lang is the language the user chose: "fr", "en" or "" (not chosen).
	Lang      string    `json:"lang,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UserInput is a new account as typed by an admin.
type UserInput struct {
	Username string
	Password string
	Role     string
	Student  string   // matricule or phone, for the student role
	Classes  []string // for the teacher role
}

// Actor is whoever performs an operation: a logged-in user or the trusted
// CLI ("cli:<os user>", acting as admin).
type Actor struct {
	Name      string // recorded in audit entries
	UserID    string
	Role      Role
	StudentID string   // role student: the only record they may read
	Classes   []string // role teacher: the classes they may read and grade
	// Taught (role teacher): the classes where a curriculum of the current
	// year names them on a subject, read at log-in. They may list and
	// read those classes' students; what they may mark is the curriculum's
	// to say (Curriculum.MayGrade), subject by subject.
	Taught []string
}

// SystemActor is the CLI and other operator tools: trusted like the database.
func SystemActor(name string) Actor { return Actor{Name: name, Role: RoleAdmin} }

// ActorFor returns the actor a user acts as.
func ActorFor(u *User) Actor {
	return Actor{Name: u.Username, UserID: u.ID, Role: u.Role, StudentID: u.StudentID, Classes: slices.Clone(u.Classes)}
}

// Teaches reports whether a teacher actor has the whole class (every
// subject of it: the scope accounts had before curricula).
func (a Actor) Teaches(class string) bool { return slices.Contains(a.Classes, class) }

// Reads reports whether a teacher actor may list and read the class's
// students: they have the whole class, or teach one of its subjects.
func (a Actor) Reads(class string) bool { return a.Teaches(class) || slices.Contains(a.Taught, class) }

// validUsername: 3 to 40 of letters, digits, dot, dash, underscore.
func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// normaliseClasses upper-cases, trims and de-duplicates class names.
func normaliseClasses(in []string) []string {
	var out []string
	for _, c := range in {
		c = strings.ToUpper(cleanName(c))
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
