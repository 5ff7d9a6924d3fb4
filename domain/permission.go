package domain

// Op is an operation the domain guards.
type Op string

const (
	OpListStudents  Op = "students.list"
	OpReadStudent   Op = "students.read"
	OpCreateStudent Op = "students.create"
	OpUpdateStudent Op = "students.update"
	OpDeleteStudent Op = "students.delete"
	OpAddGrade      Op = "grades.add"
	OpChangeGrade   Op = "grades.change"
	OpRemoveGrade   Op = "grades.remove"
	OpViewStats     Op = "stats.view"
	OpManageUsers   Op = "users.manage"
	// OpManageCurricula is importing curricula and closing, reopening and
	// publishing semesters.
	OpManageCurricula Op = "curricula.manage"
)

// Ops lists every guarded operation (the permission test walks them all).
var Ops = []Op{OpListStudents, OpReadStudent, OpCreateStudent, OpUpdateStudent, OpDeleteStudent,
	OpAddGrade, OpChangeGrade, OpRemoveGrade, OpViewStats, OpManageUsers, OpManageCurricula}

// Authorize says whether actor may perform op. class is the class the
// operation touches ("" for school-wide operations); studentID the record.
//
//   - admin: everything
//   - teacher: list and read the students of the classes they have whole
//     or teach a subject in, and their stats; free grades only in the
//     classes they have whole (marks in evaluations are checked per
//     subject by Curriculum.MayGrade)
//   - student: read their own record only
func Authorize(a Actor, op Op, class, studentID string) error {
	switch a.Role {
	case RoleAdmin:
		return nil
	case RoleTeacher:
		switch op {
		case OpListStudents, OpViewStats:
			if class == "" || a.Reads(class) {
				return nil // school-wide lists are narrowed to their classes
			}
		case OpReadStudent:
			if a.Reads(class) {
				return nil
			}
		case OpAddGrade, OpChangeGrade, OpRemoveGrade:
			if a.Teaches(class) {
				return nil
			}
		}
	case RoleStudent:
		if op == OpReadStudent && studentID != "" && studentID == a.StudentID {
			return nil
		}
	}
	return forbidden(a, op)
}

func forbidden(a Actor, op Op) *Error {
	return Errorf(EFORBIDDEN, "a %s may not do %s here", roleName(a.Role), op)
}

func roleName(r Role) string {
	if r == "" {
		return "user without a role"
	}
	return string(r)
}

// scope narrows rows to what the actor may list.
func (a Actor) scope(rows []RosterRow) []RosterRow {
	switch a.Role {
	case RoleAdmin:
		return rows
	case RoleTeacher:
		out := make([]RosterRow, 0, len(rows)/4)
		for _, r := range rows {
			if a.Reads(r.Class) {
				out = append(out, r)
			}
		}
		return out
	}
	return nil
}
