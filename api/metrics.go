package api

import (
	"database/sql"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"cocreate/internal/cachesync"
)

// metrics holds the server's Prometheus collectors in a registry of its own, so
// several servers in one test process do not collide.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(db *sql.DB, cs *cachesync.Sync) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cocreate_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cocreate_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route template, method and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
	}
	// The cache listener's counts are read when scraped: it keeps them itself.
	listener := []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "cocreate_cache_notifications_sent_total",
			Help: "Notifications of this instance's cache announcements sent (several announcements each under load).",
		}, func() float64 { return float64(cs.Stats().Sent) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "cocreate_cache_notifications_total",
			Help: "Other instances' cache notifications received and applied.",
		}, func() float64 { return float64(cs.Stats().Received) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "cocreate_cache_listener_reconnects_total",
			Help: "Connections the cache listener made after its first (each drops the whole cache).",
		}, func() float64 { return float64(cs.Stats().Reconnects) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "cocreate_cache_listener_up",
			Help: "1 while the cache listener is connected and listening.",
		}, func() float64 {
			if cs.Stats().Up {
				return 1
			}
			return 0
		}),
	}
	m.registry.MustRegister(listener...)
	m.registry.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db, "cocreate"),
	)
	return m
}

func (m *metrics) middleware(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := statusText(c.Writer.Status())
	route := routeOf(c)
	m.requests.WithLabelValues(route, c.Request.Method, status).Inc()
	m.latency.WithLabelValues(route, c.Request.Method, status).Observe(time.Since(start).Seconds())
}

func (m *metrics) handler() gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
}

// watchCache adds the read cache's answers, by how they were made, to the
// metrics: hit (served as cached), recount (a cached answer with its counts
// read again after votes or writes elsewhere in the document) and build.
func (m *metrics) watchCache(rc *readCache) {
	for outcome, n := range map[string]*atomic.Uint64{"hit": &rc.hits, "recount": &rc.recounts, "build": &rc.builds} {
		m.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "cocreate_read_cache_answers_total",
			Help:        "Public reads answered from the read cache (hit), from a cached answer with its counts read again (recount), or built.",
			ConstLabels: prometheus.Labels{"outcome": outcome},
		}, func() float64 { return float64(n.Load()) }))
	}
}
