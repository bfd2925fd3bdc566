package admin

import (
	"strconv"
	"testing"
)

func TestNiceCeil(t *testing.T) {
	for _, c := range []struct{ n, want int64 }{
		{-3, 1}, {0, 1}, {1, 1}, {2, 2}, {3, 5}, {5, 5}, {6, 10}, {10, 10}, {11, 20}, {99, 100}, {101, 200}, {450, 500}, {123456, 200000},
	} {
		if got := niceCeil(c.n); got != c.want {
			t.Errorf("niceCeil(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}

// TestBarChart checks the geometry: bars scale to the top of the scale,
// share the width, stand on the base line, and an empty or all-zero
// series draws nothing.
func TestBarChart(t *testing.T) {
	plotH := float64(chartHeight - chartBottom - chartTop) // 152
	base := float64(chartHeight - chartBottom)             // 160
	type want struct {
		x, w, h float64
	}
	for _, c := range []struct {
		name   string
		values []int64
		empty  bool
		top    string
		bars   []want
	}{
		{name: "none", values: nil, empty: true},
		{name: "zeros", values: []int64{0, 0}, empty: true, top: "1",
			bars: []want{{x: 56, w: 128, h: 0}, {x: 216, w: 128, h: 0}}},
		{name: "one point", values: []int64{5}, top: "5", bars: []want{{x: 72, w: 256, h: plotH}}},
		{name: "scale", values: []int64{1, 2, 4, 0}, top: "5",
			bars: []want{{x: 48, w: 64, h: plotH / 5}, {x: 128, w: 64, h: plotH * 2 / 5}, {x: 208, w: 64, h: plotH * 4 / 5}, {x: 288, w: 64, h: 0}}},
		{name: "max is the top", values: []int64{200, 100}, top: "200",
			bars: []want{{x: 56, w: 128, h: plotH}, {x: 216, w: 128, h: plotH / 2}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			labels, shown := make([]string, len(c.values)), make([]string, len(c.values))
			for i, v := range c.values {
				labels[i], shown[i] = "l"+strconv.Itoa(i), strconv.FormatInt(v, 10)
			}
			ch := newBarChart(c.values, labels, shown, func(n int64) string { return strconv.FormatInt(n, 10) })
			if ch.Empty != c.empty {
				t.Errorf("empty %v, want %v", ch.Empty, c.empty)
			}
			if len(ch.Bars) != len(c.bars) {
				t.Fatalf("%d bars, want %d", len(ch.Bars), len(c.bars))
			}
			for i, b := range ch.Bars {
				w := c.bars[i]
				if b.X != round2(w.x) || b.W != round2(w.w) || b.H != round2(w.h) || b.Y != round2(base-w.h) {
					t.Errorf("bar %d: x %v w %v h %v y %v, want x %v w %v h %v y %v", i, b.X, b.W, b.H, b.Y, w.x, w.w, w.h, base-w.h)
				}
				if b.X < chartLeft || b.X+b.W > chartWidth+0.01 || b.Y < chartTop-0.01 {
					t.Errorf("bar %d out of the plot: %+v", i, b)
				}
				if b.Label != labels[i] || b.Value != shown[i] {
					t.Errorf("bar %d: label %q value %q", i, b.Label, b.Value)
				}
			}
			if len(c.values) > 0 && (len(ch.YTicks) != 2 || ch.YTicks[1].Text != c.top || ch.YTicks[0].Text != "0") {
				t.Errorf("y ticks %+v, want 0 and %s", ch.YTicks, c.top)
			}
		})
	}
}

// TestBarChartYear: a year of days (365 bars) fits the width without gaps
// and with few enough x labels not to overlap.
func TestBarChartYear(t *testing.T) {
	values := make([]int64, 365)
	labels := make([]string, 365)
	for i := range values {
		values[i], labels[i] = int64(i%7), "d"
	}
	ch := newBarChart(values, labels, labels, func(n int64) string { return "" })
	last := ch.Bars[len(ch.Bars)-1]
	if last.X+last.W > chartWidth+0.01 || ch.Bars[0].X != chartLeft {
		t.Errorf("bars from %v to %v, want %d to %d", ch.Bars[0].X, last.X+last.W, chartLeft, chartWidth)
	}
	if n := len(ch.XLabels); n > chartXLabel || n < 2 {
		t.Errorf("%d x labels, want 2 to %d", n, chartXLabel)
	}
	for i := 1; i < len(ch.XLabels); i++ {
		if gap := ch.XLabels[i].X - ch.XLabels[i-1].X; gap < 40 {
			t.Errorf("x labels %d and %d only %.1f apart", i-1, i, gap)
		}
	}
}

func TestHeatMap(t *testing.T) {
	var counts [7][24]int
	counts[0][9] = 4  // Monday 9 h: the busiest
	counts[4][17] = 2 // Friday 17 h: half
	days := [7]string{"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."}
	m := newHeatMap(counts, days, func(d, h, n int) string { return days[d] + strconv.Itoa(h) + ":" + strconv.Itoa(n) })
	if m.Empty || len(m.Cells) != 7*24 || len(m.Rows) != 7 {
		t.Fatalf("empty %v, %d cells, %d rows", m.Empty, len(m.Cells), len(m.Rows))
	}
	for _, c := range []struct {
		day, hour int
		opacity   string
		label     string
	}{{0, 9, "1.00", "lun.9:4"}, {4, 17, "0.50", "ven.17:2"}, {6, 0, "0.00", "dim.0:0"}} {
		cell := m.Cells[c.day*24+c.hour]
		if cell.Opacity != c.opacity || cell.Label != c.label {
			t.Errorf("cell %d,%d: opacity %s label %q, want %s %q", c.day, c.hour, cell.Opacity, cell.Label, c.opacity, c.label)
		}
		if cell.X != float64(heatLeft+c.hour*heatSize) || cell.Y != float64(heatTop+c.day*heatSize) {
			t.Errorf("cell %d,%d at %v,%v", c.day, c.hour, cell.X, cell.Y)
		}
	}
	if last := m.Cells[len(m.Cells)-1]; last.X+last.W > m.Width || last.Y+last.H > m.Height {
		t.Errorf("last cell %+v outside %vx%v", last, m.Width, m.Height)
	}
	if e := newHeatMap([7][24]int{}, days, func(d, h, n int) string { return "" }); !e.Empty || e.Cells[0].Opacity != "0.00" {
		t.Errorf("no entries: empty %v, opacity %s", e.Empty, e.Cells[0].Opacity)
	}
}

func TestFormatCount(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{{"fr", 0, "0"}, {"fr", 999, "999"}, {"fr", 1234, "1" + nbsp + "234"}, {"en", 1234567, "1,234,567"}, {"fr", -1500, "-1" + nbsp + "500"}} {
		if got := formatCount(c.lang, c.n); got != c.want {
			t.Errorf("formatCount(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
