package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// styles are the workbook's cell styles, each created once: excelize
// allows about 65,000 per workbook.
type styles struct {
	f       *excelize.File
	title   int
	header  int
	date    int
	integer int
	wrap    int
	money   map[string]int
}

// dateFormat shows timestamps, which are written in UTC.
const dateFormat = "yyyy-mm-dd hh:mm:ss"

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{f: f, money: map[string]int{}}
	dateFmt := dateFormat
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}},
		{&s.date, excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.integer, excelize.Style{NumFmt: 3}}, // #,##0
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("create cell style: %w", err)
		}
		*d.id = id
	}
	return s, nil
}

// moneyFormat returns the number format for amounts in currency: two
// decimals, up to four when the amount has them, and the currency code.
func moneyFormat(currency string) string {
	code := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, currency)
	return fmt.Sprintf(`#,##0.00## "%s";-#,##0.00## "%s"`, code, code)
}

// moneyStyle returns the style for amounts in currency, creating it on
// first use.
func (s *styles) moneyStyle(currency string) (int, error) {
	if id, ok := s.money[currency]; ok {
		return id, nil
	}
	format := moneyFormat(currency)
	id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return 0, fmt.Errorf("create money style for %q: %w", currency, err)
	}
	s.money[currency] = id
	return id, nil
}
