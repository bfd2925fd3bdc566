package admin

import (
	"math"
	"strconv"
)

// The statistics page's charts are SVG drawn on the server: no script
// (the admin's Content-Security-Policy allows none inline, and none is
// needed), a viewBox so that they scale to the width of a phone, and the
// numbers as a table beside each one for screen readers. This file holds
// their geometry only; templates/views/stats.html draws them.

// Chart sizes, in viewBox units: 360 wide fits a 390 px phone at about
// one unit per pixel, and scales up on a desktop.
const (
	chartWidth  = 360
	chartHeight = 180
	chartLeft   = 40 // room for the value labels of the y axis
	chartBottom = 20 // room for the x labels
	chartTop    = 8
	chartXLabel = 6 // at most this many x labels, so that they never overlap
)

// bar is one bar of a barChart, in viewBox units.
type bar struct {
	X, Y, W, H float64
	Label      string // what a person reads: "26/11", "novembre 2026"
	Value      string // the value as shown: "12", "1 234,50 €"
}

// axisLabel is a label placed at X (x axis) or Y (y axis).
type axisLabel struct {
	X, Y float64
	Text string
}

// barChart is a bar chart ready to draw.
type barChart struct {
	ID, Title, Desc string // the SVG's id prefix, <title> and <desc>
	Width, Height   float64
	Bars            []bar
	XLabels         []axisLabel // a few bars' labels, under them
	YTicks          []axisLabel // 0 and the top of the scale, with grid lines
	Left, Right     float64     // the plot's horizontal extent
	Base            float64     // y of the zero line
	Empty           bool        // no value above zero: the page says so instead
}

// newBarChart lays out one bar per value, scaled so that the top of the
// scale (a round number at or above the largest value) is the plot's
// height. labels and shown give each bar's label and displayed value;
// format writes a y-axis value.
func newBarChart(values []int64, labels, shown []string, format func(int64) string) barChart {
	c := barChart{Width: chartWidth, Height: chartHeight, Left: chartLeft, Right: chartWidth,
		Base: chartHeight - chartBottom, Empty: true}
	var max int64
	for _, v := range values {
		if v > max {
			max = v
		}
		if v > 0 {
			c.Empty = false
		}
	}
	top := niceCeil(max)
	plotH := c.Base - chartTop
	if len(values) == 0 {
		return c
	}
	slot := (c.Right - c.Left) / float64(len(values))
	gap := slot / 5
	if slot < 3 {
		gap = 0 // a year of days: bars touch rather than vanish
	}
	every := (len(values) + chartXLabel - 1) / chartXLabel
	for i, v := range values {
		h := 0.0
		if v > 0 {
			h = plotH * float64(v) / float64(top)
		}
		b := bar{X: round2(c.Left + float64(i)*slot + gap/2), W: round2(slot - gap), H: round2(h), Y: round2(c.Base - h),
			Label: labels[i], Value: shown[i]}
		c.Bars = append(c.Bars, b)
		if i%every == 0 {
			c.XLabels = append(c.XLabels, axisLabel{X: round2(b.X + b.W/2), Y: c.Base + 14, Text: labels[i]})
		}
	}
	c.YTicks = []axisLabel{{X: c.Left - 4, Y: c.Base, Text: format(0)}, {X: c.Left - 4, Y: chartTop, Text: format(top)}}
	return c
}

// niceCeil returns the smallest of 1, 2, 5 × 10^k at or above n (1 for
// n <= 1): the top of a scale people read at a glance.
func niceCeil(n int64) int64 {
	if n <= 1 {
		return 1
	}
	for p := int64(1); p <= math.MaxInt64/10; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if m*p >= n {
				return m * p
			}
		}
	}
	return n
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// heatCell is one cell of a heatMap: a weekday and an hour.
type heatCell struct {
	X, Y, W, H float64
	Opacity    string // "0.00" to "1.00": the share of the busiest cell
	Label      string // "lundi 9 h : 12"
}

// heatMap is a 7 × 24 grid of counts (rows Monday to Sunday, columns the
// hours of the day), ready to draw.
type heatMap struct {
	ID, Title, Desc string
	Width, Height   float64
	Cells           []heatCell
	Rows            []axisLabel // day names
	Cols            []axisLabel // a few hours
	Empty           bool
}

// Heat map sizes, in viewBox units: 24 columns of 13 fit 360 with the day
// names on the left.
const (
	heatLeft = 48
	heatTop  = 4
	heatSize = 13
	heatGap  = 1
)

// newHeatMap lays out counts[weekday][hour] (weekday 0 is Monday). days
// names the rows; label writes a cell's text for its <title>.
func newHeatMap(counts [7][24]int, days [7]string, label func(day, hour, n int) string) heatMap {
	m := heatMap{Width: heatLeft + 24*heatSize, Height: heatTop + 7*heatSize + 16, Empty: true}
	max := 0
	for _, row := range counts {
		for _, n := range row {
			max = maxInt(max, n)
		}
	}
	m.Empty = max == 0
	for d := 0; d < 7; d++ {
		y := float64(heatTop + d*heatSize)
		m.Rows = append(m.Rows, axisLabel{X: heatLeft - 4, Y: y + heatSize - 3, Text: days[d]})
		for h := 0; h < 24; h++ {
			share := 0.0
			if max > 0 {
				share = float64(counts[d][h]) / float64(max)
			}
			m.Cells = append(m.Cells, heatCell{X: float64(heatLeft + h*heatSize), Y: y, W: heatSize - heatGap, H: heatSize - heatGap,
				Opacity: strconv.FormatFloat(share, 'f', 2, 64), Label: label(d, h, counts[d][h])})
		}
	}
	for h := 0; h < 24; h += 3 {
		m.Cols = append(m.Cols, axisLabel{X: float64(heatLeft+h*heatSize) + heatSize/2.0, Y: heatTop + 7*heatSize + 12, Text: strconv.Itoa(h) + "h"})
	}
	return m
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
