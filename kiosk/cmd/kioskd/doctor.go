package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/host/v3"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/camera"
	"github.com/badgeuse/badgeuse/shared/doctor"
)

// envFile is the service's settings (deploy/kioskd.env): the doctor reads
// it so that, run by hand, it checks the camera and pins the service uses.
const envFile = "/etc/badgeuse/kioskd.env"

// setupDoc is the kiosk's setup guide (deploy/pi-setup.md) where the
// package (and deploy/install-kiosk.sh) installs it: the messages a
// volunteer reads on the kiosk point there, not into a checkout.
const setupDoc = "/usr/share/doc/badgeuse-kiosk/pi-setup.md"

// consoleFix adds, to what is wrong with the GPIO, the way to run
// without LEDs: kioskd run's refusal and the doctor's line say the same.
func consoleFix(fr, en string) (string, string) {
	return fr + " Sans LED câblée, mettez KIOSKD_LED=console dans " + envFile + ".",
		en + " With no LED wired, set KIOSKD_LED=console in " + envFile + "."
}

// noPinFix is what to do about pins this machine does not have, each
// "GPIO17 (KIOSKD_PIN_GREEN)".
func noPinFix(pins []string) (string, string) {
	list := strings.Join(pins, ", ")
	return consoleFix(fmt.Sprintf("Pas de broche %s sur cette machine : est-ce un Raspberry Pi ? Noms : GPIO17… (%s).", list, setupDoc),
		fmt.Sprintf("No pin %s on this machine: is it a Raspberry Pi? Names: GPIO17… (%s).", list, setupDoc))
}

// noGPIOFix is what to do when the GPIO does not initialise.
func noGPIOFix() (string, string) {
	return consoleFix("Le GPIO ne s’initialise pas : est-ce un Raspberry Pi ?", "The GPIO does not initialise: is it a Raspberry Pi?")
}

// Limits of the doctor's checks.
const (
	doctorMinDisk     = 200 << 20 // free bytes in the data folder
	doctorFirstFrame  = 15 * time.Second
	doctorFrames      = 30 // frames read to measure the rate
	doctorSyncTimeout = 20 * time.Second
)

// runDoctor checks that this kiosk can work: one line per check (the
// service's settings file, data folder, database, central and its
// certificate, camera, GPIO, clock, disk); it fails if any check failed.
// It takes the flags of kioskd run, with the service's environment file
// as defaults (or KIOSKD_ENV_FILE's, which it does not check).
func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	path := envFile
	p, other := os.LookupEnv("KIOSKD_ENV_FILE")
	if other {
		path = p
	}
	if err := doctor.LoadEnvFile(path); err != nil {
		return err
	}
	cfg, err := parseRun(args, stderr)
	if err != nil {
		return err
	}
	done, err := prepareData(cfg.Data)
	if err != nil {
		return err
	}
	defer done()
	var results []doctor.Result
	if !other {
		results = append(results, checkSettings(path))
	}
	results = append(results, doctor.Folder(cfg.Data, serviceUser))
	results = append(results, checkKioskData(ctx, cfg.Data)...)
	results = append(results, checkCamera(ctx, cfg), checkGPIO(cfg), doctor.Clock(), doctor.Disk(cfg.Data, doctorMinDisk))
	if !doctor.Print(stdout, results) {
		return errors.New("some checks failed (see above) / des vérifications ont échoué (voir ci-dessus)")
	}
	return nil
}

// checkSettings checks that the service's settings file is there: the
// unit does not start without it (AssertPathExists=), and without it the
// doctor's other checks take kioskd's own defaults (--led console), not
// the service's.
func checkSettings(path string) doctor.Result {
	if _, err := os.Stat(path); err != nil {
		return doctor.Fail("settings", err.Error(),
			"Sans ce fichier, le service ne démarre pas, et les vérifications ci-dessous prennent les réglages par défaut de kioskd (LED sur la console) : remettez celui du paquet (sudo dpkg -i --force-confmiss ./badgeuse-kiosk_VERSION_arm64.deb, le paquet installé), puis réglez-y caméra et broches ("+setupDoc+").",
			"Without this file the service does not start, and the checks below take kioskd's own defaults (LEDs on the console): put the package's back (sudo dpkg -i --force-confmiss ./badgeuse-kiosk_VERSION_arm64.deb, the package installed), then set the camera and pins in it ("+setupDoc+").")
	}
	return doctor.OK("settings", path+", the service's")
}

// checkKioskData opens the database (its integrity is checked at open),
// and syncs once with central with the kiosk's token.
func checkKioskData(ctx context.Context, dir string) []doctor.Result {
	db, err := openExisting(dir)
	if err != nil {
		return []doctor.Result{doctor.Fail("database", err.Error(),
			"Pas de base : enrôlez la borne avec la ligne que montre la page Bornes de l’admin (sudo kioskd enroll …).",
			"No database: enroll the kiosk with the line the admin's Kiosks page shows (sudo kioskd enroll …).")}
	}
	defer db.Close()
	out := []doctor.Result{doctor.OK("database", db.Path()+" sound")}
	enr, err := db.Enrollment(ctx)
	if errors.Is(err, kiosk.ErrNotEnrolled) {
		return append(out, doctor.Fail("central", "not enrolled",
			"La borne n’est pas enrôlée : collez la ligne que montre la page Bornes de l’admin (sudo kioskd enroll …).",
			"The kiosk is not enrolled: paste the line the admin's Kiosks page shows (sudo kioskd enroll …)."))
	}
	if err != nil {
		return append(out, doctor.Fail("central", err.Error(), "", ""))
	}
	sctx, cancel := context.WithTimeout(ctx, doctorSyncTimeout)
	defer cancel()
	res, err := newLoop(db, slog.New(slog.NewTextHandler(io.Discard, nil))).Sync(sctx)
	if err != nil {
		out = append(out, doctor.Fail("central", fmt.Sprintf("%s: %v", enr.Central, err),
			"Le serveur central ne répond pas ou refuse le jeton de la borne : vérifiez le réseau et l’adresse ; si la borne a été supprimée ou désactivée dans l’admin, réactivez-la ou enrôlez-la à nouveau.",
			"Central does not answer or refuses this kiosk's token: check the network and the address; if the kiosk was deleted or disabled in the admin, enable it or enroll it again."))
	} else {
		out = append(out, doctor.OK("central", fmt.Sprintf("%s answers kiosk %q (%d entries sent, %d pending)", enr.Central, enr.KioskName, res.Pushed, res.Pending)))
	}
	return append(out, doctor.Certificate(ctx, enr.Central))
}

// checkCamera reads frames from the configured camera and says their size
// and rate.
func checkCamera(ctx context.Context, cfg runConfig) doctor.Result {
	fail := func(found string) doctor.Result {
		return doctor.Fail("camera", found,
			"Pas d’image : vérifiez le câble, « ls /dev/video* », KIOSKD_CAMERA dans "+envFile+" ("+setupDoc+") ; si kioskd tourne, la caméra est occupée : sudo systemctl stop kioskd.",
			"No frame: check the cable, 'ls /dev/video*', KIOSKD_CAMERA in "+envFile+" ("+setupDoc+"); if kioskd runs, the camera is busy: sudo systemctl stop kioskd.")
	}
	cam, err := camera.New(cfg.Camera, camera.Options{Width: cfg.Width, Height: cfg.Height, FPS: cfg.FPS, FourCC: cfg.FourCC})
	if err != nil {
		return fail(err.Error())
	}
	defer cam.Close()
	var f kiosk.Frame
	first, cancel := context.WithTimeout(ctx, doctorFirstFrame)
	defer cancel()
	if err := cam.Read(first, &f); err != nil {
		return fail(fmt.Sprintf("%s: %v", cfg.Camera, err))
	}
	start, n := time.Now(), 0
	for n < doctorFrames {
		if err := cam.Read(first, &f); err != nil {
			break
		}
		n++
	}
	fps := float64(n) / time.Since(start).Seconds()
	found := fmt.Sprintf("%s gives %dx%d at %.1f frames/s", cfg.Camera, f.Width, f.Height, fps)
	if fps < 5 {
		return doctor.Fail("camera", found,
			"Moins de 5 images/s : un badge passé vite sera manqué ; baissez la résolution (KIOSKD_WIDTH/HEIGHT) ou essayez KIOSKD_FOURCC=MJPG.",
			"Fewer than 5 frames/s: a badge shown quickly will be missed; lower the resolution (KIOSKD_WIDTH/HEIGHT) or try KIOSKD_FOURCC=MJPG.")
	}
	return doctor.OK("camera", found)
}

// checkGPIO opens the configured pins (periph.io: /dev/gpiomem on a Pi 4,
// the GPIO character devices, which the Pi 5's RP1 chip uses) and sets each
// to its off level.
func checkGPIO(cfg runConfig) doctor.Result {
	if cfg.LED == "console" {
		return doctor.OK("gpio", "not used (KIOSKD_LED=console: outcomes are written to the journal)")
	}
	if _, err := host.Init(); err != nil {
		fr, en := noGPIOFix()
		return doctor.Fail("gpio", err.Error(), fr, en)
	}
	var used []string
	for _, p := range []struct {
		flag, name string
		activeLow  bool
	}{{"green", cfg.PinGreen, false}, {"red", cfg.PinRed, false}, {"buzzer", cfg.PinBuzzer, cfg.BuzzLow}, {"relay", cfg.PinRelay, cfg.RelayLow}} {
		if p.name == "" {
			continue
		}
		pin := gpioreg.ByName(p.name)
		if pin == nil {
			fr, en := noPinFix([]string{fmt.Sprintf("%s (KIOSKD_PIN_%s)", p.name, strings.ToUpper(p.flag))})
			return doctor.Fail("gpio", "no GPIO pin "+p.name, fr, en)
		}
		off := gpio.Low
		if p.activeLow {
			off = gpio.High
		}
		if err := pin.Out(off); err != nil {
			return doctor.Fail("gpio", fmt.Sprintf("%s (%s): %v", p.name, p.flag, err),
				"Broche inutilisable : l’utilisateur doit être dans le groupe gpio (sudo usermod -aG gpio kioskd) ; si kioskd tourne, arrêtez-le d’abord (sudo systemctl stop kioskd).",
				"Pin not usable: the user must be in the gpio group (sudo usermod -aG gpio kioskd); if kioskd runs, stop it first (sudo systemctl stop kioskd).")
		}
		used = append(used, p.flag+"="+p.name)
	}
	return doctor.OK("gpio", strings.Join(used, " ")+" usable, set off")
}
