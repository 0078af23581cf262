package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// S3Options say where an S3-compatible store is and how to sign in to it
// (BLOB_STORE=s3 and the S3_* variables).
type S3Options struct {
	// Endpoint is host[:port], or a URL whose scheme then decides TLS.
	Endpoint  string
	Region    string
	Bucket    string
	AccessKey string
	SecretKey string
	UseSSL    bool
	// PathStyle addresses the bucket in the path (host/bucket/key), as most
	// self-hosted servers need; false lets the client choose (virtual hosts
	// on AWS).
	PathStyle bool
}

// S3 is a Store in a bucket of an S3-compatible server, shared by every
// instance of the application.
type S3 struct {
	client   *minio.Client
	bucket   string
	endpoint string
}

// NewS3 returns a store on the bucket; it does not contact the server (Check does).
func NewS3(o S3Options) (*S3, error) {
	host, secure := o.Endpoint, o.UseSSL
	if strings.Contains(o.Endpoint, "://") {
		u, err := url.Parse(o.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("blob: S3_ENDPOINT %q must be host:port or http(s)://host:port, without a path", o.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	if host == "" || o.Bucket == "" {
		return nil, errors.New("blob: S3 needs S3_ENDPOINT and S3_BUCKET")
	}
	if err := s3utils.CheckValidBucketNameStrict(o.Bucket); err != nil {
		return nil, fmt.Errorf("blob: S3_BUCKET %q: %w", o.Bucket, err)
	}
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(host, &minio.Options{
		Creds:        credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure:       secure,
		Region:       o.Region,
		BucketLookup: lookup,
		MaxRetries:   3,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: S3_ENDPOINT %q: %w", o.Endpoint, err)
	}
	scheme := "http"
	if secure {
		scheme = "https"
	}
	return &S3{client: client, bucket: o.Bucket, endpoint: scheme + "://" + host}, nil
}

// Check makes sure the bucket exists and the credentials may read it, and
// says in plain words what to fix when not: serve calls it at start.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob: checking S3 bucket %q at %s: %s", s.bucket, s.endpoint, DescribeS3Error(err))
	}
	if !ok {
		return fmt.Errorf("blob: S3 bucket %q does not exist at %s: create it, or set S3_BUCKET to an existing bucket", s.bucket, s.endpoint)
	}
	return nil
}

// DescribeS3Error turns what an S3 server or the network answered into what
// an operator should check.
func DescribeS3Error(err error) string {
	switch minio.ToErrorResponse(err).Code {
	case "InvalidAccessKeyId":
		return "the server does not know S3_ACCESS_KEY_ID (" + err.Error() + ")"
	case "SignatureDoesNotMatch":
		return "S3_SECRET_ACCESS_KEY does not match S3_ACCESS_KEY_ID (" + err.Error() + ")"
	case "AccessDenied":
		return "the credentials may not use this bucket: grant them read, write and delete on it (" + err.Error() + ")"
	case "AuthorizationHeaderMalformed", "InvalidRegion":
		return "the server expects another region: check S3_REGION (" + err.Error() + ")"
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return "cannot reach S3_ENDPOINT (is the address right, and S3_USE_SSL?): " + err.Error()
	}
	return err.Error()
}

// Put uploads the object in one request, which S3 stores whole or not at
// all (uploads are at most UPLOAD_MAX_BYTES, 1 GiB, well under a single
// request's 5 GiB): no multipart upload is ever left half done. A body longer
// than size is refused and what was written removed.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("blob: bad key %q", key)
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, io.LimitReader(r, size), size, minio.PutObjectOptions{ContentType: contentType, DisableMultipart: true})
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", key, err)
	}
	// The client reads exactly size bytes; anything left over means the
	// caller's size was wrong, and the object is not the caller's file.
	if n, _ := io.ReadFull(r, make([]byte, 1)); n > 0 {
		_ = s.Delete(context.WithoutCancel(ctx), key)
		return fmt.Errorf("blob: put %s: body longer than %d bytes", key, size)
	}
	return nil
}

// Open returns the object, which is also an io.Seeker (so downloads can
// answer range requests).
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if !keyPattern.MatchString(key) {
		return nil, fmt.Errorf("blob: bad key %q", key)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err == nil {
		// GetObject is lazy: Stat asks the server whether the object is there.
		_, err = obj.Stat()
	}
	if err != nil {
		if obj != nil {
			_ = obj.Close()
		}
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	return obj, nil
}

// Delete removes the object; S3 answers success for a missing key too.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("blob: bad key %q", key)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}
