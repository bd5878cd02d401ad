package reports

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// unitQuantity is the unit of findings counted in items, not money.
const unitQuantity = "units"

// amountCell returns a numeric cell for an amount in unit: an integer
// for units, a number with the currency's format otherwise. Excel stores
// numbers as doubles, so the exact amount stays in the database.
func amountCell(st *styles, unit string, d decimal.Decimal) (excelize.Cell, error) {
	if unit == unitQuantity && d.IsInteger() {
		return excelize.Cell{StyleID: st.integer, Value: d.IntPart()}, nil
	}
	if unit == unitQuantity {
		return excelize.Cell{StyleID: st.integer, Value: d.InexactFloat64()}, nil
	}
	style, err := st.moneyStyle(unit)
	if err != nil {
		return excelize.Cell{}, err
	}
	return excelize.Cell{StyleID: style, Value: d.InexactFloat64()}, nil
}

// maxSheetName is Excel's limit on the length of a sheet name.
const maxSheetName = 31

// sheetName returns the sheet name of a rule: its id without the
// characters Excel forbids in sheet names, cut to 31 characters.
func sheetName(ruleID string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, ruleID)
	if runes := []rune(name); len(runes) > maxSheetName {
		name = string(runes[:maxSheetName])
	}
	return name
}

// truncateCell cuts s to fit Excel's limit of 32,767 UTF-16 code units
// per cell, ending it with a note of how much was cut.
func truncateCell(s string) string {
	total := len(utf16.Encode([]rune(s)))
	if total <= excelize.TotalCellChars {
		return s
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		n := utf16.RuneLen(r)
		// Reserve room for the note, which is at most 64 code units long.
		if used+n > excelize.TotalCellChars-64 {
			break
		}
		b.WriteRune(r)
		used += n
	}
	fmt.Fprintf(&b, " … [truncated: %d of %d characters shown]", used, total)
	return b.String()
}
