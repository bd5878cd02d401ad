package rules

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/recon-tools/recon/extract"
)

// CustomRule is a rule read from a SQL file. Its SQL is the file's body
// as written; NormalizeCustom turns it into a Rule that Evaluate can run.
type CustomRule struct {
	Rule
	// File is the path the rule was read from.
	File string
	// idLine is the header line that sets the id.
	idLine int
}

// CustomError is a problem with one custom rule file. Line is the
// 1-based line of a header problem, or 0 when the problem is the SQL.
type CustomError struct {
	File string
	Line int
	Err  error
}

func (e *CustomError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("custom rule %s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("custom rule %s: %v", e.File, e.Err)
}

func (e *CustomError) Unwrap() error { return e.Err }

var (
	headerLine = regexp.MustCompile(`^--\s*([a-z_]+)\s*:\s*(.*?)\s*$`)
	customID   = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
)

// LoadCustomDir reads every *.sql file in dir, in name order, as a
// custom rule. Each file starts with header comment lines of the form
// "-- key: value" with the keys id, title, severity and owner, and
// optionally sources (comma-separated) and question; the first line that
// is not a comment ends the header. Ids must be unique and must not be
// the id of a built-in rule.
func LoadCustomDir(dir string) ([]CustomRule, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		return nil, fmt.Errorf("custom rules folder %s: %w", dir, err)
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("custom rules folder: %w", err)
	}
	slices.Sort(files)
	var out []CustomRule
	seen := map[string]string{}
	for _, file := range files {
		cr, err := LoadCustomFile(file)
		if err != nil {
			return nil, err
		}
		if _, builtIn := Lookup(cr.ID); builtIn {
			return nil, &CustomError{File: file, Line: cr.idLine, Err: fmt.Errorf("id %s is a built-in rule's id: choose another", cr.ID)}
		}
		if other, dup := seen[cr.ID]; dup {
			return nil, &CustomError{File: file, Line: cr.idLine,
				Err: fmt.Errorf("id %s is also the id of %s", cr.ID, other)}
		}
		seen[cr.ID] = file
		out = append(out, cr)
	}
	return out, nil
}

// LoadCustomFile reads one custom rule file.
func LoadCustomFile(file string) (CustomRule, error) {
	f, err := os.Open(file)
	if err != nil {
		return CustomRule{}, fmt.Errorf("custom rule: %w", err)
	}
	defer f.Close()

	cr := CustomRule{File: file}
	header := map[string]bool{}
	var body strings.Builder
	inHeader := true
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := scanner.Text()
		trimmed := strings.TrimSpace(line)
		if inHeader && strings.HasPrefix(trimmed, "--") {
			if err := cr.setHeader(trimmed, n, header); err != nil {
				return CustomRule{}, &CustomError{File: file, Line: n, Err: err}
			}
			continue
		}
		if inHeader && trimmed == "" {
			continue
		}
		inHeader = false
		body.WriteString(line)
		body.WriteByte('\n')
	}
	if err := scanner.Err(); err != nil {
		return CustomRule{}, &CustomError{File: file, Err: err}
	}
	if err := cr.finish(header, body.String()); err != nil {
		return CustomRule{}, &CustomError{File: file, Err: err}
	}
	return cr, nil
}

// setHeader applies one header comment line. A comment that is not of
// the form "-- key: value" is prose and is ignored.
func (cr *CustomRule) setHeader(line string, n int, seen map[string]bool) error {
	m := headerLine.FindStringSubmatch(line)
	if m == nil {
		return nil
	}
	key, value := m[1], m[2]
	if seen[key] {
		return fmt.Errorf("header key %s is set twice", key)
	}
	seen[key] = true
	switch key {
	case "id":
		if !customID.MatchString(value) {
			return fmt.Errorf("invalid id %q: use lower-case words joined by dots, such as custom.big_refunds", value)
		}
		cr.ID, cr.idLine = value, n
	case "title":
		cr.Title = value
	case "question":
		cr.Question = value
	case "severity":
		return cr.setSeverity(value)
	case "owner":
		return cr.setOwner(value)
	case "sources":
		return cr.setSources(value)
	default:
		return fmt.Errorf("unknown header key %q: use id, title, severity, owner, sources or question", key)
	}
	return nil
}

func (cr *CustomRule) setSeverity(value string) error {
	s := Severity(value)
	if !slices.Contains([]Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh}, s) {
		return fmt.Errorf("invalid severity %q: use info, low, medium or high", value)
	}
	cr.Severity = s
	return nil
}

func (cr *CustomRule) setOwner(value string) error {
	o := Owner(value)
	if !slices.Contains([]Owner{OwnerEcommerce, OwnerOperations, OwnerFinance}, o) {
		return fmt.Errorf("invalid owner %q: use ecommerce, operations or finance", value)
	}
	cr.Owner = o
	return nil
}

func (cr *CustomRule) setSources(value string) error {
	known := []extract.Source{extract.SourceBigCommerce, extract.SourceERP, extract.SourceWMS, extract.SourcePayouts}
	for _, part := range strings.Split(value, ",") {
		s := extract.Source(strings.TrimSpace(part))
		if !slices.Contains(known, s) {
			return fmt.Errorf("invalid source %q: use %s", s, joinSources(known))
		}
		cr.Sources = append(cr.Sources, s)
	}
	return nil
}

func joinSources(sources []extract.Source) string {
	parts := make([]string, len(sources))
	for i, s := range sources {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// finish checks the required header keys and sets the SQL, without a
// trailing semicolon because Evaluate wraps it in a subquery.
func (cr *CustomRule) finish(seen map[string]bool, body string) error {
	for _, key := range []string{"id", "title", "severity", "owner"} {
		if !seen[key] {
			return fmt.Errorf("header lacks %q: start the file with a line such as -- %s: ...", key, key)
		}
	}
	cr.SQL = strings.TrimRight(strings.TrimSpace(body), "; \n\t")
	if cr.SQL == "" {
		return fmt.Errorf("no SQL after the header")
	}
	return nil
}
