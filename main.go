// Command scolarite is the student-records application of ÉSP 221: a
// full-screen terminal application and the command line for operators.
// This file wires flags to back-ends; everything else lives in packages.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"scolarite/cli"
	"scolarite/serve"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Run(ctx, os.Args[1:], cli.Env{
		Open:   openApp,
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		RunUI:  runUI,
		Serve:  runServe,
		HostKey: func(path string) (string, error) {
			_, fp, err := serve.HostKey(path)
			return fp, err
		},
	})
	stop()
	os.Exit(code)
}
