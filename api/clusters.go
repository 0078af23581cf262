// Clusters: groups of contributions the forum answers together.

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/forum"
)

type clusterJSON struct {
	ID             int64               `json:"id"`
	Process        string              `json:"process"`
	Title          string              `json:"title"`
	Origin         string              `json:"origin"`
	Size           int                 `json:"size"`
	Representative *contributionJSON   `json:"representative"`
	CreatedAt      time.Time           `json:"created_at"`
	ResponseID     *int64              `json:"response_id"`
	Members        *[]contributionJSON `json:"members,omitempty"` // a cluster's page only, [] when none is public
}

func (h *handlers) toClusterJSON(cl forum.Cluster, members bool) clusterJSON {
	out := clusterJSON{ID: cl.ID, Process: cl.Process, Title: cl.Title, Origin: cl.Origin, Size: cl.Size, CreatedAt: cl.CreatedAt.UTC(), ResponseID: cl.ResponseID}
	if cl.Representative != nil {
		rep := h.toContributions([]forum.Summary{*cl.Representative})[0]
		out.Representative = &rep
	}
	if members {
		ms := h.toContributions(cl.Members)
		if ms == nil {
			ms = []contributionJSON{}
		}
		out.Members = &ms
	}
	return out
}

// listClusters handles GET /api/v1/processes/:slug/forum/clusters.
func (h *handlers) listClusters(c *gin.Context) {
	cls, err := h.forum.Clusters(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]clusterJSON, len(cls))
	for i, cl := range cls {
		out[i] = h.toClusterJSON(cl, false)
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, gin.H{"items": out})
}

type contributionRef struct {
	Kind string `json:"kind" binding:"required,oneof=comment idea"`
	ID   int64  `json:"id" binding:"required,min=1"`
}

func toRefs(in []contributionRef) []forum.Ref {
	out := make([]forum.Ref, len(in))
	for i, r := range in {
		out[i] = forum.Ref{Kind: forum.Kind(r.Kind), ID: r.ID}
	}
	return out
}

type clusterRequest struct {
	Title   string            `json:"title" binding:"required,max=200"`
	Origin  string            `json:"origin" binding:"omitempty,oneof=manual suggested"`
	Members []contributionRef `json:"members" binding:"required,min=1,max=1000,dive"`
}

// createCluster handles POST /api/v1/processes/:slug/forum/clusters.
func (h *handlers) createCluster(c *gin.Context) {
	var req clusterRequest
	if !h.bind(c, &req) {
		return
	}
	cl, err := h.forum.CreateCluster(c.Request.Context(), actorFrom(c), c.Param("slug"),
		forum.ClusterInput{Title: req.Title, Origin: req.Origin, Members: toRefs(req.Members)})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, h.toClusterJSON(cl, true))
}

// getCluster handles GET /api/v1/clusters/:clusterID.
func (h *handlers) getCluster(c *gin.Context) {
	id, ok := h.pathID(c, "clusterID")
	if !ok {
		return
	}
	cl, err := h.forum.Cluster(c.Request.Context(), actorFrom(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, h.toClusterJSON(cl, true))
}

type refsRequest struct {
	Members []contributionRef `json:"members" binding:"required,min=1,max=1000,dive"`
}

// addClusterMembers handles POST /api/v1/clusters/:clusterID/members.
func (h *handlers) addClusterMembers(c *gin.Context) {
	id, ok := h.pathID(c, "clusterID")
	if !ok {
		return
	}
	var req refsRequest
	if !h.bind(c, &req) {
		return
	}
	cl, err := h.forum.AddMembers(c.Request.Context(), actorFrom(c), id, toRefs(req.Members))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.toClusterJSON(cl, true))
}

type suggestionJSON struct {
	Members      []contributionJSON `json:"members"`
	Size         int                `json:"size"`
	Similarity   float64            `json:"similarity"`
	ClusterID    *int64             `json:"cluster_id"`
	ClusterTitle *string            `json:"cluster_title"`
}

// listClusterSuggestions handles GET /api/v1/processes/:slug/forum/suggestions.
func (h *handlers) listClusterSuggestions(c *gin.Context) {
	sgs, err := h.forum.Suggestions(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]suggestionJSON, len(sgs))
	for i, s := range sgs {
		out[i] = suggestionJSON{Members: h.toContributions(s.Members), Size: len(s.Members), Similarity: s.Similarity,
			ClusterID: s.ClusterID, ClusterTitle: s.ClusterTitle}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// dismissClusterSuggestion handles POST /api/v1/processes/:slug/forum/suggestions/dismiss.
func (h *handlers) dismissClusterSuggestion(c *gin.Context) {
	var req refsRequest
	if !h.bind(c, &req) {
		return
	}
	if err := h.forum.Dismiss(c.Request.Context(), actorFrom(c), c.Param("slug"), toRefs(req.Members)); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
