package main

// The server under load: starting and stopping it, its memory, its profile.

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cocreate/internal/database"
)

// sampleRSS follows the server's resident set until it exits.
func (e *env) sampleRSS(cmd *exec.Cmd) {
	for {
		mb := rssMB(cmd.Process.Pid)
		if mb == 0 {
			return
		}
		e.rssMu.Lock()
		if e.idleRSS == 0 {
			e.idleRSS = mb
		}
		e.peakRSS = max(e.peakRSS, mb)
		e.rssMu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
}

// profile fetches a CPU profile of the next d from the server into the
// profile folder; the returned func waits for it.
func (e *env) profile(name string, d time.Duration) func() {
	if e.pprof == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", e.pprof, int(d.Seconds())))
		if err != nil {
			log.Printf("bench: profile %s: %v", name, err)
			return
		}
		defer res.Body.Close()
		_ = os.MkdirAll(e.o.profileDir, 0o755)
		f, err := os.Create(filepath.Join(e.o.profileDir, name+".pprof"))
		if err != nil {
			log.Printf("bench: profile %s: %v", name, err)
			return
		}
		defer f.Close()
		_, _ = io.Copy(f, res.Body)
	}()
	return func() { <-done }
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (e *env) startServer(ctx context.Context, tmp, keyFile string, extraEnv ...string) error {
	e.tmp, e.keyFile = tmp, keyFile
	port, err := freePort()
	if err != nil {
		return err
	}
	spa := filepath.Join(tmp, "spa")
	if err := os.MkdirAll(spa, 0o755); err != nil {
		return err
	}
	e.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.CommandContext(ctx, e.o.binary, "serve")
	// The server logs in as its own role, as in production (it refuses the owner).
	serverDSN, err := database.WithUser(e.dsn, database.ServerRole)
	if err != nil {
		return err
	}
	cmd.Env = append(os.Environ(), "DATABASE_URL="+serverDSN, "ADDR=127.0.0.1:"+strconv.Itoa(port), "DATA_DIR="+filepath.Join(tmp, "data"),
		"JWT_SIGNING_KEY_FILE="+keyFile, "SPA_DIR="+spa, "LOG_LEVEL=warn", "PUBLIC_URL="+e.base,
		// A few bench accounts post as fast as the machine allows; the posting
		// interval (one per 5 s per account) would refuse nearly all of it.
		"POSTING_INTERVAL=0s", "POSTING_INTERVAL_NEW_ACCOUNT=0s", "POSTING_PER_IP_PER_MINUTE=0")
	cmd.Env = append(cmd.Env, e.o.serverEnv...)
	cmd.Env = append(cmd.Env, extraEnv...)
	if e.o.profileDir != "" {
		pp, err := freePort()
		if err != nil {
			return err
		}
		e.pprof = fmt.Sprintf("127.0.0.1:%d", pp)
		cmd.Env = append(cmd.Env, "PPROF_ADDR="+e.pprof)
	}
	logFile, err := os.OpenFile(filepath.Join(tmp, "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s (run `make build` first): %w", e.o.binary, err)
	}
	e.server = cmd
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(e.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				log.Printf("bench: server ready on %s (pid %d)", e.base, cmd.Process.Pid)
				go e.sampleRSS(cmd)
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _ := os.ReadFile(logFile.Name())
	return fmt.Errorf("server not ready after 30 s; its log:\n%s", out)
}

func (e *env) stopServer() {
	if e.server == nil || e.server.Process == nil {
		return
	}
	_ = e.server.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.server.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = e.server.Process.Kill()
	}
}

// rssMB is the resident set of a process, from /proc (0 where there is none).
func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return round(kb / 1024)
		}
	}
	return 0
}

// machine describes where the figures come from.
func machine() string {
	cpus := 0
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "processor") {
				cpus++
			}
			if model == "" && strings.HasPrefix(line, "model name") {
				model = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		if len(f) >= 2 {
			kb, _ := strconv.ParseFloat(f[1], 64)
			mem = fmt.Sprintf("%.0f GiB", kb/1024/1024)
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s", cpus, model, mem)
}
