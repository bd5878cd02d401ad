package reports

import (
	"slices"
	"testing"

	"github.com/recon-tools/recon/rules"
)

func TestAssignSheetNamesUnique(t *testing.T) {
	ids := []string{
		"custom.refunds_above_five_hundred_in_any_currency",
		"custom.refunds_above_five_hundred_in_any_currency_b",
		"custom.refunds_above_five_hundr",
		"SUMMARY",
		"credit_memo.missing",
	}
	summaries := make([]ruleSummary, len(ids))
	for i, id := range ids {
		summaries[i].rule = rules.Rule{ID: id}
	}

	assignSheetNames(summaries)

	var got []string
	for _, s := range summaries {
		got = append(got, s.sheet)
	}
	want := []string{
		"custom.refunds_above_five_hundr",
		"custom.refunds_above_five_hun~2",
		"custom.refunds_above_five_hun~3",
		"SUMMARY~2",
		"credit_memo.missing",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sheet names %q, want %q", got, want)
	}
}
