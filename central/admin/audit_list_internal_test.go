package admin

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestAuditActionsNamed: every action written to the audit log, by
// central/sqlstore or by the domain's use cases (central's SaleTx.Audit), has
// a name in the journal's languages.
func TestAuditActionsNamed(t *testing.T) {
	var files []string
	for _, dir := range []string{"..", filepath.Join("..", "sqlstore")} {
		found, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	actions := map[string]string{}
	for _, name := range files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "audit" && sel.Sel.Name != "Audit" {
				return true
			}
			switch a := call.Args[1].(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(a.Value); err == nil {
					actions[s] = fset.Position(call.Pos()).String()
				}
			case *ast.BinaryExpr: // "payment." + string(status)
				for _, st := range []central.PaymentStatus{central.PaymentWaiting, central.PaymentUnmatched,
					central.PaymentCredited, central.PaymentReversed, central.PaymentIgnored} {
					actions["payment."+string(st)] = fset.Position(call.Pos()).String()
				}
			case *ast.Ident:
				// The store's Audit method passes on the action of a
				// domain use case, whose literal is checked where it is
				// written (central/*.go).
				if a.Name != "action" {
					t.Errorf("%s: an audit action the test cannot read", fset.Position(call.Pos()))
				}
			default:
				t.Errorf("%s: an audit action the test cannot read", fset.Position(call.Pos()))
			}
			return true
		})
	}
	if len(actions) < 20 {
		t.Fatalf("found only %d actions: is the source walk broken?", len(actions))
	}
	for a, pos := range actions {
		if !catalogHas("audit.action." + a) {
			t.Errorf("%s: the action %q has no name: add audit.action.%s (audit_list.go)", pos, a, a)
		}
	}
}
