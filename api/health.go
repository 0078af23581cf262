package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/database"
	"cocreate/migrations"
)

type healthResponse struct {
	Status string `json:"status"`
}

// healthz handles GET /healthz: the process answers.
func (h *handlers) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, healthResponse{Status: "ok"})
}

type readinessResponse struct {
	Status string          `json:"status"`
	Checks readinessChecks `json:"checks"`
}

type readinessChecks struct {
	Database   string `json:"database"`
	Migrations string `json:"migrations"`
}

// readyz handles GET /readyz: 200 when the database answers and its schema is the
// one this binary expects, else 503 saying which check failed.
func (h *handlers) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	res := readinessResponse{Status: "ready", Checks: readinessChecks{Database: "ok", Migrations: "ok"}}
	sqlDB, err := h.db.DB()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	if err != nil {
		res.Status, res.Checks.Database, res.Checks.Migrations = "unavailable", "unreachable", "unknown"
		c.JSON(http.StatusServiceUnavailable, res)
		return
	}
	if err := database.CheckCurrent(ctx, h.db, migrations.FS); err != nil {
		res.Status = "unavailable"
		res.Checks.Migrations = "unknown"
		if errors.Is(err, database.ErrSchemaBehind) || errors.Is(err, database.ErrSchemaAhead) {
			res.Checks.Migrations = "behind"
		}
		c.JSON(http.StatusServiceUnavailable, res)
		return
	}
	c.JSON(http.StatusOK, res)
}
