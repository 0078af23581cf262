package blob_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/stretchr/testify/require"

	"cocreate/internal/blob"
)

// s3Server is an S3-compatible server the test may use.
type s3Server struct {
	opts blob.S3Options
	// makeBuckets: the test may create buckets (a server it started itself).
	makeBuckets bool
}

// skipWithoutS3 is why the S3 tests did not run, and how to run them.
const skipWithoutS3 = "no S3-compatible server: set S3_TEST_ENDPOINT, S3_TEST_BUCKET, S3_TEST_ACCESS_KEY_ID and " +
	"S3_TEST_SECRET_ACCESS_KEY (and S3_TEST_USE_SSL=false for plain HTTP) to run the S3 store's tests against it, " +
	"or put a minio server binary on PATH and the test starts one"

// findS3 returns the server named by S3_TEST_*, or starts the minio binary
// found on PATH, or skips the test saying how to run it.
func findS3(t *testing.T) s3Server {
	t.Helper()
	if ep := os.Getenv("S3_TEST_ENDPOINT"); ep != "" {
		o := blob.S3Options{Endpoint: ep, Bucket: os.Getenv("S3_TEST_BUCKET"), Region: os.Getenv("S3_TEST_REGION"),
			AccessKey: os.Getenv("S3_TEST_ACCESS_KEY_ID"), SecretKey: os.Getenv("S3_TEST_SECRET_ACCESS_KEY"),
			UseSSL: os.Getenv("S3_TEST_USE_SSL") != "false", PathStyle: true}
		require.NotEmpty(t, o.Bucket, "S3_TEST_ENDPOINT is set: set S3_TEST_BUCKET too")
		if o.Region == "" {
			o.Region = "us-east-1"
		}
		return s3Server{opts: o}
	}
	bin, err := exec.LookPath("minio")
	if err != nil {
		t.Skip(skipWithoutS3)
	}
	return startMinio(t, bin)
}

// startMinio runs `minio server` on a free loopback port with a folder of
// its own, until the test ends.
func startMinio(t *testing.T, bin string) s3Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", "127.0.0.1:0", t.TempDir())
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER=cocreate-test", "MINIO_ROOT_PASSWORD=cocreate-test-secret")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	o := blob.S3Options{Endpoint: addr, Region: "us-east-1", Bucket: "cocreate-test", AccessKey: "cocreate-test",
		SecretKey: "cocreate-test-secret", PathStyle: true}
	client := adminClient(t, o)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := client.MakeBucket(ctx, o.Bucket, minio.MakeBucketOptions{Region: o.Region})
		cancel()
		if err == nil {
			break
		}
		require.True(t, time.Now().Before(deadline), "minio did not start at %s: %v", addr, err)
		time.Sleep(200 * time.Millisecond)
	}
	return s3Server{opts: o, makeBuckets: true}
}

func adminClient(t *testing.T, o blob.S3Options) *minio.Client {
	t.Helper()
	c, err := minio.New(o.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure: o.UseSSL, Region: o.Region, BucketLookup: minio.BucketLookupPath})
	require.NoError(t, err)
	return c
}

func TestS3Store(t *testing.T) {
	srv := findS3(t)
	ctx := context.Background()
	s, err := blob.NewS3(srv.opts)
	require.NoError(t, err)
	require.NoError(t, s.Check(ctx))
	storeContract(t, s)

	t.Run("an object is seekable, for range requests", func(t *testing.T) {
		key := blob.NewKey("repository")
		require.NoError(t, s.Put(ctx, key, strings.NewReader("0123456789"), 10, "text/plain"))
		defer func() { require.NoError(t, s.Delete(ctx, key)) }()
		r, err := s.Open(ctx, key)
		require.NoError(t, err)
		defer r.Close()
		seeker, ok := r.(interface {
			Seek(int64, int) (int64, error)
			Read([]byte) (int, error)
		})
		require.True(t, ok, "S3 objects are seekable")
		_, err = seeker.Seek(7, 0)
		require.NoError(t, err)
		b := make([]byte, 3)
		n, err := seeker.Read(b)
		require.Equal(t, 3, n)
		require.Equal(t, "789", string(b), err)
	})

	t.Run("a missing bucket is named at start", func(t *testing.T) {
		o := srv.opts
		o.Bucket = fmt.Sprintf("cocreate-missing-%d", time.Now().UnixNano())
		missing, err := blob.NewS3(o)
		require.NoError(t, err)
		err = missing.Check(ctx)
		require.Error(t, err)
		require.Contains(t, err.Error(), "does not exist")
		require.Contains(t, err.Error(), "S3_BUCKET")
	})

	t.Run("wrong credentials are named at start", func(t *testing.T) {
		o := srv.opts
		o.SecretKey += "-wrong"
		wrong, err := blob.NewS3(o)
		require.NoError(t, err)
		err = wrong.Check(ctx)
		if err == nil {
			t.Skipf("the server at %s does not check request signatures", o.Endpoint)
		}
		require.Contains(t, err.Error(), "S3_SECRET_ACCESS_KEY")
	})
}

// TestS3Configuration runs without a server: endpoints are read as the
// README says, and an unreachable one is reported in words an operator can act on.
func TestS3Configuration(t *testing.T) {
	for _, bad := range []string{"ftp://store.example.org", "https://store.example.org/bucket", "https://"} {
		_, err := blob.NewS3(blob.S3Options{Endpoint: bad, Bucket: "bucket"})
		require.Error(t, err, bad)
		require.Contains(t, err.Error(), "S3_ENDPOINT", bad)
	}
	for _, bucket := range []string{"", "b", "Not_A_Bucket"} {
		_, err := blob.NewS3(blob.S3Options{Endpoint: "store.example.org", Bucket: bucket})
		require.ErrorContains(t, err, "S3_BUCKET", bucket)
	}
	for _, ok := range []string{"store.example.org", "store.example.org:9000", "http://127.0.0.1:9000", "https://store.example.org/"} {
		_, err := blob.NewS3(blob.S3Options{Endpoint: ok, Bucket: "bucket", Region: "us-east-1"})
		require.NoError(t, err, ok)
	}

	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	s, err := blob.NewS3(blob.S3Options{Endpoint: "http://" + addr, Bucket: "bucket", Region: "us-east-1", AccessKey: "k", SecretKey: "s"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = s.Check(ctx)
	require.Error(t, err)
	require.Contains(t, err.Error(), "cannot reach S3_ENDPOINT")

	for code, names := range map[string]string{
		"InvalidAccessKeyId": "S3_ACCESS_KEY_ID", "SignatureDoesNotMatch": "S3_SECRET_ACCESS_KEY",
		"AccessDenied": "grant them", "AuthorizationHeaderMalformed": "S3_REGION",
	} {
		require.Contains(t, blob.DescribeS3Error(minio.ErrorResponse{Code: code, Message: "refused"}), names, code)
	}
}
