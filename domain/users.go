package domain

import (
	"context"
	"fmt"
	"strings"
)

// CreateUser adds an account (admin only). A student account is linked to
// an existing student by matricule or phone; a teacher gets their classes.
func (s *AuthService) CreateUser(ctx context.Context, a Actor, in UserInput) (*User, error) {
	if err := Authorize(a, OpManageUsers, "", ""); err != nil {
		return nil, err
	}
	var p problems
	// A class is stored and shown; the student reference is quoted by
	// the messages below. (The user name takes a-z, 0-9 and . - _ only.)
	texts := []textField{{"student", in.Student}}
	for _, c := range in.Classes {
		texts = append(texts, textField{"classes", c})
	}
	refused := p.checkTexts(texts...)
	username := strings.ToLower(strings.TrimSpace(in.Username))
	if !validUsername(username) {
		p.add("username", "must be 3 to 40 characters among a-z, 0-9, '.', '-' and '_'")
	}
	role, err := ParseRole(in.Role)
	if err != nil {
		p.add("role", err.(*Error).Problems[0].Reason)
	}
	if err := checkPassword(in.Password); err != nil {
		p.add("password", err.(*Error).Problems[0].Reason)
	}
	u := &User{Username: username, Role: role}
	switch {
	case refused["student"] || refused["classes"]:
	case role == RoleStudent:
		st, err := s.linkedStudent(ctx, in.Student)
		if err != nil {
			p.add("student", err.Error())
		} else {
			u.StudentID = st.ID
		}
	case role == RoleTeacher:
		u.Classes = normaliseClasses(in.Classes)
		if len(u.Classes) == 0 {
			p.add("classes", "a teacher needs at least one class")
		}
	}
	if role != RoleStudent && !refused["student"] && strings.TrimSpace(in.Student) != "" {
		p.add("student", "only a student account is linked to a student")
	}
	if role != RoleTeacher && !refused["classes"] && len(normaliseClasses(in.Classes)) > 0 {
		p.add("classes", "only a teacher account has classes")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if u.PasswordHash, err = s.d.Hasher.Hash(in.Password); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = s.d.Now(), s.d.Now()
	if err := s.d.Users.Insert(ctx, u); err != nil {
		return nil, err
	}
	s.recordUser(ctx, a, "user.create", nil, u)
	return u, nil
}

func (s *AuthService) linkedStudent(ctx context.Context, ref string) (*Student, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, fmt.Errorf("a student account must be linked to a student (matricule or phone)")
	}
	var (
		st  *Student
		err error
	)
	if matriculePattern.MatchString(ref) {
		st, err = s.d.Students.ByNumber(ctx, ref)
	} else if phone, perr := s.d.Phones.Parse(ref); perr == nil {
		st, err = s.d.Students.ByPhone(ctx, phone)
	} else {
		return nil, fmt.Errorf("is neither a matricule nor a phone number: %s", ref)
	}
	if ErrorCode(err) == ENOTFOUND {
		return nil, fmt.Errorf("no student has the matricule or phone %s", ref)
	}
	return st, err
}

// Users lists every account (admin only).
func (s *AuthService) Users(ctx context.Context, a Actor) ([]*User, error) {
	if err := Authorize(a, OpManageUsers, "", ""); err != nil {
		return nil, err
	}
	return s.d.Users.List(ctx)
}

// SetPassword replaces a user's password and ends their sessions.
func (s *AuthService) SetPassword(ctx context.Context, a Actor, username, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	return s.changeUser(ctx, a, username, "user.password", true, func(u *User) error {
		h, err := s.d.Hasher.Hash(password)
		u.PasswordHash = h
		return err
	})
}

// SetDisabled disables (and logs out) or re-enables an account.
func (s *AuthService) SetDisabled(ctx context.Context, a Actor, username string, disabled bool) error {
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	return s.changeUser(ctx, a, username, action, disabled, func(u *User) error {
		if disabled && a.UserID != "" && a.UserID == u.ID {
			return Invalid("username", "you cannot disable your own account")
		}
		u.Disabled = disabled
		return nil
	})
}

// RevokeSessions ends every session of a user and says how many.
func (s *AuthService) RevokeSessions(ctx context.Context, a Actor, username string) (int, error) {
	if err := Authorize(a, OpManageUsers, "", ""); err != nil {
		return 0, err
	}
	u, err := s.d.Users.ByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return 0, err
	}
	n, err := s.d.Sessions.DeleteUser(ctx, u.ID)
	if err != nil {
		return 0, unavailable("session store", err)
	}
	s.recordUser(ctx, a, "user.revoke", u, u)
	return n, nil
}

// changeUser applies change to a user and records it; endSessions logs
// the user out everywhere (a new password, a disabled account).
func (s *AuthService) changeUser(ctx context.Context, a Actor, username, action string, endSessions bool, change func(*User) error) error {
	if err := Authorize(a, OpManageUsers, "", ""); err != nil {
		return err
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	u, err := s.d.Users.ByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return err
	}
	old := *u
	if err := change(u); err != nil {
		return err
	}
	u.UpdatedAt = s.d.Now()
	if err := s.d.Users.Update(ctx, u); err != nil {
		return err
	}
	if endSessions {
		if _, err := s.d.Sessions.DeleteUser(ctx, u.ID); err != nil {
			s.d.Log.Warn("sessions not revoked", "user", u.Username, "err", err)
		}
	}
	s.recordUser(ctx, a, action, &old, u)
	return nil
}

// recordUser audits an account change. User has no JSON name for the hash,
// and entries are stored through their JSON form, so no hash is written.
func (s *AuthService) recordUser(ctx context.Context, a Actor, action string, old, new *User) {
	id := ""
	if new != nil {
		id = new.Username
	}
	entry := AuditEntry{At: s.d.Now(), Actor: a.Name, Action: action, Entity: "user", EntityID: id}
	if old != nil {
		entry.Old = old
	}
	if new != nil {
		entry.New = new
	}
	if err := s.d.Audit.Record(ctx, entry); err != nil {
		s.d.Log.Error("audit entry not written", "action", action, "err", err)
	}
}
