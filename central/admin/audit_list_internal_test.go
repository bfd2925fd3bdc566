package admin

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
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

// TestAuditFieldsLabelled: every detail an audit call writes, by
// central/sqlstore, the domain's use cases or the admin's store rules,
// has a label in the journal's languages ("directory_before / directory /
// presence_before / presence : oui" and "booking : 1" once showed). The
// details are the keys of the map literals an Audit call is given, or of
// those (and of the index assignments, detail["space"] = ...) in the
// function that makes it, and of a MemberEdit's Details.
func TestAuditFieldsLabelled(t *testing.T) {
	var files []string
	for _, dir := range []string{"..", filepath.Join("..", "sqlstore"), "adminstore"} {
		found, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	fields := map[string]string{}
	add := func(fset *token.FileSet, e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				fields[s] = fset.Position(lit.Pos()).String()
			}
		}
	}
	// keysIn adds the keys of the map literals and index assignments in n.
	keysIn := func(fset *token.FileSet, n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CompositeLit:
				if m, ok := x.Type.(*ast.MapType); ok {
					if k, ok := m.Key.(*ast.Ident); ok && k.Name == "string" {
						for _, el := range x.Elts {
							if kv, ok := el.(*ast.KeyValueExpr); ok {
								add(fset, kv.Key)
							}
						}
					}
				}
			case *ast.AssignStmt:
				for _, l := range x.Lhs {
					if ix, ok := l.(*ast.IndexExpr); ok {
						add(fset, ix.Index)
					}
				}
			}
			return true
		})
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			if fn.Name.Name == "MemberEditOf" { // member.update's details
				keysIn(fset, fn.Body)
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) < 4 {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "audit" && sel.Sel.Name != "Audit" {
					return true
				}
				switch call.Args[3].(type) {
				case *ast.CompositeLit:
					keysIn(fset, call.Args[3])
				case *ast.Ident, *ast.SelectorExpr: // a map made above
					keysIn(fset, fn.Body)
				}
				return true
			})
		}
	}
	for _, want := range []string{"booking", "directory_before", "status", "registration", "slack_opt_out"} {
		if fields[want] == "" {
			t.Fatalf("the detail %q not found: is the source walk broken?", want)
		}
	}
	for f, pos := range fields {
		if !catalogHas("audit.field." + f) {
			t.Errorf("%s: the detail %q has no label: add audit.field.%s (audit_words.go)", pos, f, f)
		}
	}
}

// TestAuditActionsSaid: every named action of the journal has its
// sentence (audit.say.*), so that no line reads "<who> <action name> :
// <object>" without a verb.
func TestAuditActionsSaid(t *testing.T) {
	for k := range catalog {
		if a, ok := strings.CutPrefix(k, "audit.action."); ok && !catalogHas("audit.say."+a) {
			t.Errorf("the action %q has no sentence: add audit.say.%s (audit_words.go)", a, a)
		}
	}
}
