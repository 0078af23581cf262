package document

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// body is a paragraph as it follows a heading in a real plan.
const body = "The ministry consulted civil society on this draft between January and March, and published every comment it received."

// TestTextHeadingShapes reads single lines as real plans write them, each
// followed by a paragraph (or in the context given), and says which are
// headings and with which section label: exactly the number the document
// wrote, never one made up.
func TestTextHeadingShapes(t *testing.T) {
	for _, tt := range []struct {
		name    string
		src     string // the line, or a whole text whose block `at` is checked
		at      int
		heading bool
		section string
	}{
		// Headings.
		{name: "numbered", src: "1. Introduction", heading: true, section: "1."},
		{name: "numbered without a dot", src: "2 Objectives of the plan", heading: true, section: "2"},
		{name: "two-level number", src: "2.3 Consultation on the draft", heading: true, section: "2.3"},
		{name: "three-level number with a dot", src: "2.3.1. Who was consulted", heading: true, section: "2.3.1."},
		{name: "numbered in capitals", src: "3. COMMITMENTS", heading: true, section: "3."},
		{name: "all caps", src: "INTRODUCTION", heading: true},
		{name: "all caps, several words", src: "BACKGROUND AND CONTEXT", heading: true},
		{name: "title case", src: "Public Participation in Budgeting", heading: true},
		{name: "title case, one word", src: "Background", heading: true},
		{name: "title case with a colon inside", src: "Case Study 1: Ukraine", heading: true},
		{name: "lettered A", src: "A. Background", heading: true, section: "A."},
		{name: "lettered B after A", src: "A. Background\n\n" + body + "\n\nB. Objectives", at: 2, heading: true, section: "B."},
		{name: "roman", src: "II. Methodology", heading: true, section: "II."},
		{name: "part", src: "Part II. Implementation", heading: true, section: "Part II."},
		{name: "chapter in capitals", src: "CHAPTER 3: MONITORING", heading: true, section: "CHAPTER 3"},
		{name: "annex", src: "Annex A Glossary", heading: true, section: "Annex A"},
		{name: "CJK numbered", src: "一、总体要求", heading: true, section: "一、"},
		{name: "CJK numbered in parentheses", src: "（二）工作目标", heading: true, section: "（二）"},
		{name: "CJK chapter", src: "第三章 公众参与", heading: true, section: "第三章"},

		// Not headings.
		{name: "date", src: "31 March 2014"},
		{name: "date, month first", src: "March 31, 2014"},
		{name: "date in capitals", src: "31 MARCH 2014"},
		{name: "date with a weekday", src: "Monday, 31 March 2014"},
		{name: "numeric date", src: "31/03/2014"},
		{name: "ISO date", src: "2014-03-31"},
		{name: "CJK date", src: "2014年3月31日"},
		{name: "short sentence", src: "We will publish the budget."},
		{name: "numbered sentence", src: "1. The ministry will publish the budget."},
		{name: "title case ending in a full stop", src: "Thank You for Your Comments."},
		{name: "number only", src: "2014"},
		{name: "numbers only", src: "2.3"},
		{name: "yours sincerely", src: "Yours sincerely,"},
		{name: "yours sincerely in capitals", src: "YOURS SINCERELY"},
		{name: "kind regards", src: "Kind regards"},
		{name: "signature after a closing", src: body + "\n\nYours sincerely,\n\nJohn Smith\n\nDirector of Open Government", at: 2},
		{name: "signature title after a closing", src: body + "\n\nYours sincerely,\n\nJohn Smith\n\nDirector of Open Government", at: 3},
		{name: "initial and surname", src: body + "\n\nJ. Smith\n\n" + body, at: 1},
		{name: "salutation", src: "Dear Colleagues,"},
		{name: "title case line at the end", src: body + "\n\nOpen Government Partnership", at: 1},
		{name: "lower-case start", src: "and the forum will meet again"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if tt.at == 0 {
				src += "\n\n" + body + "\n"
			}
			blocks, err := Parse(FormatText, src)
			require.NoError(t, err)
			require.Greater(t, len(blocks), tt.at, "%q", blocks)
			b := blocks[tt.at]
			if !tt.heading {
				assert.NotEqual(t, KindHeading, b.Kind, "%q is not a heading", b.Text)
				return
			}
			assert.Equal(t, KindHeading, b.Kind, "%q is a heading", b.Text)
			assert.Equal(t, tt.section, b.Section, "%q's section is what it wrote", b.Text)
		})
	}
}

// TestTextHeadingLevelsFollowTheNumbering: the numbering's depth gives the
// level, an unnumbered first heading (the title) stays above numbered ones,
// and no level is skipped.
func TestTextHeadingLevelsFollowTheNumbering(t *testing.T) {
	src := "ENGAGEMENT PLAN\n\n" + body + "\n\n1. Introduction\n\n" + body + "\n\n1.1 Purpose\n\n" + body +
		"\n\n1.1.1 Scope of the consultation\n\n" + body + "\n\n2. Commitments\n\n" + body + "\n\nA. Open data\n\n" + body +
		"\n\nB. Open budgets\n\n" + body + "\n\n3. Monitoring\n\n" + body + "\n\nANNEXES\n\n" + body + "\n"
	blocks, err := Parse(FormatText, src)
	require.NoError(t, err)
	var got []string
	for _, b := range blocks {
		if b.Kind == KindHeading {
			got = append(got, fmt.Sprintf("%d %s|%s", b.Level, b.Section, b.Text))
		}
	}
	require.Equal(t, []string{
		"1 |ENGAGEMENT PLAN",
		"2 1.|1. Introduction",
		"3 1.1|1.1 Purpose",
		"4 1.1.1|1.1.1 Scope of the consultation",
		"2 2.|2. Commitments",
		"3 A.|A. Open data",
		"3 B.|B. Open budgets",
		"2 3.|3. Monitoring",
		"3 |ANNEXES", // unnumbered after a numbered heading: a sub-heading of its section
	}, got)
}

// TestTextPlanHeadings reads a plan shaped like the one whose headings were
// missed (a letter with a date, numbered, lettered and unnumbered headings,
// a closing and a signature): every heading is found, nothing else is one.
func TestTextPlanHeadings(t *testing.T) {
	src := "Engagement Plan\n\n31 March 2014\n\nDear Colleagues,\n\n" + body + "\n\n1. INTRODUCTION\n\n" + body +
		"\n\n1.1 Purpose of this Plan\n\n" + body + "\n\n1.2 Who We Will Engage\n\n" + body + "\n\n2. HOW WE WILL ENGAGE\n\n" + body +
		"\n\nA. Online Consultation\n\n" + body + "\n\nB. Public Meetings\n\n" + body + "\n\n3. TIMELINE\n\nMarch 2014\tDraft published\nMay 2014\tPlan adopted\n\n" +
		"Next Steps\n\n" + body + "\n\n4. 联系方式\n\n一、总体要求\n\n" + body + "\n\nYours sincerely,\n\nJane Doe\n\nDirector, Open Government Unit\n"
	blocks, err := Parse(FormatText, src)
	require.NoError(t, err)
	var got []string
	for _, b := range blocks {
		if b.Kind == KindHeading {
			got = append(got, fmt.Sprintf("%d %s|%s", b.Level, b.Section, b.Text))
		}
	}
	require.Equal(t, []string{
		"1 |Engagement Plan",
		"2 1.|1. INTRODUCTION",
		"3 1.1|1.1 Purpose of this Plan",
		"3 1.2|1.2 Who We Will Engage",
		"2 2.|2. HOW WE WILL ENGAGE",
		"3 A.|A. Online Consultation",
		"3 B.|B. Public Meetings",
		"2 3.|3. TIMELINE",
		"3 |Next Steps",
		"2 4.|4. 联系方式",
		"3 一、|一、总体要求",
	}, got)
	require.Equal(t, KindParagraph, blocks[1].Kind, "the date")
	require.Equal(t, Parsed{Kind: KindParagraph, Text: "Director, Open Government Unit"}, blocks[len(blocks)-1])
}
