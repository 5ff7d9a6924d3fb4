package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"scolarite/domain"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func formatAverage(avg *float64) string {
	if avg == nil {
		return "-"
	}
	return strconv.FormatFloat(*avg, 'f', 2, 64)
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// writeRoster prints the table of `students list`. Phones are printed as
// the office writes them (phones.Display: "77 123 45 67"); --json and the
// files keep E.164.
func writeRoster(w io.Writer, page domain.RosterPage, phones domain.PhoneParser) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MATRICULE\tLAST NAME\tFIRST NAME\tPHONE\tCLASS\tMAJOR\tAVERAGE\tGRADES")
	for _, r := range page.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", r.Number, r.LastName, r.FirstName, phones.Display(r.Phone),
			r.Class, r.Major, formatAverage(r.Average), r.GradeCount)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d shown of %d matching, %d in all\n", len(page.Rows), page.Matched, page.Total)
	return err
}

// writeStudent prints `students show`, phones as writeRoster does.
func writeStudent(w io.Writer, s *domain.Student, phones domain.PhoneParser) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Matricule\t%s\nName\t%s\nPhone\t%s\n", s.Number, s.FullName(), phones.Display(s.Phone))
	if s.Email != "" {
		fmt.Fprintf(tw, "E-mail\t%s\n", s.Email)
	}
	fmt.Fprintf(tw, "Class\t%s\nMajor\t%s\nBirth date\t%s\n", s.Class, s.Major, s.BirthDate)
	for _, g := range []struct{ label, value string }{
		{"Guardian", s.GuardianName}, {"Guardian phone", phones.Display(s.GuardianPhone)}, {"Guardian e-mail", s.GuardianEmail},
	} {
		if g.value != "" {
			fmt.Fprintf(tw, "%s\t%s\n", g.label, g.value)
		}
	}
	fmt.Fprintf(tw, "Average\t%s\n\n", formatAverage(s.Average))
	if len(s.Grades) > 0 {
		fmt.Fprintln(tw, "GRADE ID\tSUBJECT\tVALUE\tCOEF.\tDATE\tTEACHER")
		for _, g := range s.Grades {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", g.ID, g.Subject, gradeValue(g),
				formatNumber(g.Coefficient), g.Date.Format(domain.DateLayout), g.Teacher)
		}
	}
	return tw.Flush()
}

// gradeValue is a grade's value, or ABJ / ABI for an absence.
func gradeValue(g domain.Grade) string {
	switch g.Absent {
	case domain.AbsentJustified:
		return "ABJ"
	case domain.AbsentUnjustified:
		return "ABI"
	}
	return formatNumber(g.Value)
}

func writeStats(w io.Writer, st *domain.Stats) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Students\t%d (%d with grades)\nOverall average\t%s\n\n", st.Students, st.Graded, formatAverage(st.Average))
	fmt.Fprintln(tw, "CLASS\tSTUDENTS\tAVERAGE\tMIN\tMAX")
	for _, c := range st.Classes {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", c.Class, c.Students, formatAverage(c.Average), formatAverage(c.Min), formatAverage(c.Max))
	}
	fmt.Fprintln(tw, "\nRANK\tMATRICULE\tNAME\tCLASS\tAVERAGE")
	for _, r := range st.Top {
		fmt.Fprintf(tw, "%d\t%s\t%s %s\t%s\t%s\n", r.Rank, r.Number, r.LastName, r.FirstName, r.Class, formatAverage(r.Average))
	}
	return tw.Flush()
}

func writeUsers(w io.Writer, users []*domain.User) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tSCOPE\tSTATUS\tSSH KEYS\tLANG")
	for _, u := range users {
		scope := strings.Join(u.Classes, ",")
		if u.Role == domain.RoleStudent {
			scope = "student " + u.StudentID
		}
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		lang := u.Lang
		if lang == "" {
			lang = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", u.Username, u.Role, scope, status, len(u.SSHKeys), lang)
	}
	return tw.Flush()
}
