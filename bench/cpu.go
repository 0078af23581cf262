package main

// The CPU the load generator and the server spend over a scenario's load
// window: on one machine the bench competes with the server it measures.

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// cpuUsage is the CPU time spent over a load window, in seconds and as a share
// of the machine (seconds / (wall seconds × CPUs)); machine_share counts every
// process (the server, PostgreSQL, the bench and anything else running).
type cpuUsage struct {
	WallS        float64 `json:"wall_s"`
	BenchS       float64 `json:"bench_s"`
	BenchShare   float64 `json:"bench_share"`
	ServerS      float64 `json:"server_s"`
	ServerShare  float64 `json:"server_share"`
	MachineShare float64 `json:"machine_share"`
}

// cpuWindow is the start of a measurement.
type cpuWindow struct {
	at            time.Time
	pid           int
	bench, server float64
	busy, total   float64
}

// cpuStart takes the bench's, the server's and the machine's CPU times now.
func (e *env) cpuStart() cpuWindow {
	w := cpuWindow{at: time.Now(), bench: selfCPU()}
	if e.server != nil && e.server.Process != nil {
		w.pid = e.server.Process.Pid
		w.server = procCPU(w.pid)
	}
	w.busy, w.total = machineCPU()
	return w
}

// stop returns what was spent since the window started.
func (w cpuWindow) stop() *cpuUsage {
	wall := time.Since(w.at).Seconds()
	bench := selfCPU() - w.bench
	server := 0.0
	if w.pid != 0 {
		server = procCPU(w.pid) - w.server
	}
	busy, total := machineCPU()
	capacity := wall * float64(runtime.NumCPU())
	u := &cpuUsage{WallS: round(wall), BenchS: round(bench), ServerS: round(server)}
	if capacity > 0 {
		u.BenchShare, u.ServerShare = round(bench/capacity), round(server/capacity)
	}
	if total > w.total {
		u.MachineShare = round((busy - w.busy) / (total - w.total))
	}
	return u
}

// String is the short form printed in the log.
func (u *cpuUsage) String() string {
	if u == nil {
		return "-"
	}
	return fmt.Sprintf("bench %.1f s (%.0f %%), server %.1f s (%.0f %%), machine busy %.0f %% over %.1f s",
		u.BenchS, 100*u.BenchShare, u.ServerS, 100*u.ServerShare, 100*u.MachineShare, u.WallS)
}

// selfCPU is the bench process's user + system time in seconds.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// procCPU is a process's user + system time in seconds, from /proc/<pid>/stat
// (0 when it cannot be read).
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces and parentheses: the fields start after the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return (ut + st) / clockTicks
}

// machineCPU returns the machine's busy and total jiffies from /proc/stat.
func machineCPU() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0
	}
	// user nice system idle iowait irq softirq steal (guest is inside user).
	for j, v := range f[1:] {
		if j >= 8 {
			break
		}
		n, _ := strconv.ParseFloat(v, 64)
		total += n
		if j != 3 && j != 4 {
			busy += n
		}
	}
	return busy, total
}
