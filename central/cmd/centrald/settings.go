package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

func cmdSettingsGet(e *env, args []string) error {
	pos, err := e.parse(args, 1)
	if err != nil {
		return err
	}
	if _, ok := central.LookupSetting(pos[0]); !ok {
		return central.Errorf(central.EINVALID, "Unknown setting %q (see centrald settings list).", pos[0])
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	s, err := db.Settings.Settings(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, s.Get(pos[0]))
	return nil
}

// cmdSettingsSet sets a value; "-" reads it from stdin, so that a secret
// does not show in the process list or the shell history.
func cmdSettingsSet(e *env, args []string) error {
	pos, err := e.parse(args, 2)
	if err != nil {
		return err
	}
	value := pos[1]
	if value == "-" {
		data, err := io.ReadAll(io.LimitReader(e.stdin, 1<<16))
		if err != nil {
			return err
		}
		value = strings.TrimRight(string(data), "\r\n")
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	return db.Settings.SetSetting(e.ctx, pos[0], value)
}

// cmdSettingsList prints every known key as KEY=VALUE, secrets masked,
// with its documentation.
func cmdSettingsList(e *env, args []string) error {
	db, err := e.start(args)
	if err != nil {
		return err
	}
	s, err := db.Settings.Settings(e.ctx)
	if err != nil {
		return err
	}
	for _, def := range central.SettingDefs() {
		note := ""
		if _, set := s[def.Key]; !set {
			note = " (default)"
		}
		fmt.Fprintf(e.stdout, "%s=%s\t# %s%s\n", def.Key, def.Mask(s.Get(def.Key)), def.Doc, note)
	}
	return nil
}
