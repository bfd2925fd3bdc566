// Package helloasso reads orders from HelloAsso's API v5 and checks and
// decodes its webhook notifications.
//
// HelloAsso API documentation: https://dev.helloasso.com/docs/getting-started
// OpenAPI: https://github.com/HelloAsso/helloasso-open-api (helloasso.json)
// Notifications: https://dev.helloasso.com/docs/les-notifications
// Securing notifications: https://dev.helloasso.com/docs/secure-webhook
//
// A notification is only a hint: anyone who knows the webhook URL can post
// one. Central checks its x-ha-signature when HelloAsso gave a signature
// key, keeps nothing from its body but the order id, and reads the order
// back with GET /v5/orders/{id} under its own OAuth2 token (client
// credentials, cached and refreshed). Only what the API returns is
// converted to a central.PaymentOrder.
//
// Amounts are integer cents on both sides; countries are ISO alpha-3 at
// HelloAsso ("FRA") and alpha-2 in central ("FR"). Decoding is lenient:
// unknown fields are ignored, as notifications carry fields the OpenAPI
// does not list.
package helloasso

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// DefaultTimeout bounds each call to HelloAsso.
const DefaultTimeout = 20 * time.Second

// tokenMargin renews an access token this long before it expires.
const tokenMargin = time.Minute

// maxBody bounds what is read of a response.
const maxBody = 4 << 20

// Error is an error answer of HelloAsso.
type Error struct {
	Status int    // HTTP status
	Code   string // OAuth2 "error" ("invalid_client"...), when given
	// Message is HelloAsso's description, when given; it never holds a
	// credential.
	Message string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("helloasso: HTTP %d", e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// IsNotFound reports whether err says the object does not exist at
// HelloAsso (a forged or mistyped order id).
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// IsRefused reports whether err is HelloAsso's refusal to return an
// object our token asked for: any 4xx answer to the GET itself (not to the
// token request) but 408 and 429, which say "later", and a 401 that a
// fresh token did not cure. HelloAsso documents 401 and 403 for
// GET /v5/orders/{id} and answers 400 for an id out of int32's range and
// 404 for an unknown one: for a notification's order, all mean "no such
// order for us" (forged, mistyped, another organization's), and asking
// again would only spend our credentials.
func IsRefused(err error) bool {
	var r *refusal
	return errors.As(err, &r)
}

// refusal marks an *Error answered to an API GET as a refusal (IsRefused).
type refusal struct{ err *Error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// refuses reports whether a status answered to a GET refuses the object
// for good (IsRefused).
func refuses(status int) bool {
	return status >= 400 && status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests
}

// IsUnauthorized reports whether err says the credentials or their rights
// are wrong (401, 403, or a refused token request): retrying will not help
// until the bureau fixes the settings.
func IsUnauthorized(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden ||
		e.Code == "invalid_client" || e.Code == "unauthorized_client" || e.Code == "invalid_grant")
}

// Client calls HelloAsso's API. It caches its access token and renews it
// with the refresh token (or new client credentials) before it expires:
// HelloAsso throttles token requests. A Client is safe for concurrent use.
type Client struct {
	// BaseURL is the API's base, https://api.helloasso.com/v5; the token
	// URL is /oauth2/token at the same host.
	BaseURL      string
	ClientID     string
	ClientSecret string
	HTTPClient   *http.Client
	// Now returns the current time; tests replace it.
	Now func() time.Time

	mu    sync.Mutex
	token token
}

type token struct {
	access         string
	expires        time.Time
	refresh        string
	refreshExpires time.Time
}

// NewClient returns a client of the API at baseURL.
func NewClient(baseURL, clientID, clientSecret string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), ClientID: clientID, ClientSecret: clientSecret,
		HTTPClient: &http.Client{Timeout: DefaultTimeout}, Now: time.Now}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

// TokenURL returns the OAuth2 token URL: /oauth2/token at the API's host.
func TokenURL(baseURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("helloasso: invalid API URL %q", baseURL)
	}
	return u.Scheme + "://" + u.Host + "/oauth2/token", nil
}

// tokenResponse is the answer of /oauth2/token.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

// accessToken returns a valid access token, from the cache when it has
// one that does not expire within tokenMargin.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.token.access != "" && now.Add(tokenMargin).Before(c.token.expires) {
		return c.token.access, nil
	}
	if c.token.refresh != "" && now.Before(c.token.refreshExpires) {
		err := c.grant(ctx, url.Values{"grant_type": {"refresh_token"}, "client_id": {c.ClientID},
			"refresh_token": {c.token.refresh}})
		if err == nil {
			return c.token.access, nil
		}
		if ctx.Err() != nil {
			return "", err
		}
		// The refresh token was refused or expired early: start over
		// with the client's credentials.
	}
	if c.ClientID == "" || c.ClientSecret == "" {
		return "", &Error{Status: http.StatusUnauthorized, Code: "invalid_client", Message: "client id or secret not set"}
	}
	err := c.grant(ctx, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}})
	if err != nil {
		return "", err
	}
	return c.token.access, nil
}

// grant asks the token endpoint for a token and caches it. c.mu is held.
func (c *Client) grant(ctx context.Context, form url.Values) error {
	c.token = token{}
	tokenURL, err := TokenURL(c.BaseURL)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("helloasso: token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	var tr tokenResponse
	if err := c.do(req, &tr); err != nil {
		return fmt.Errorf("helloasso: token (%s): %w", form.Get("grant_type"), err)
	}
	if tr.AccessToken == "" {
		return fmt.Errorf("helloasso: token: answer without access_token")
	}
	now := c.now()
	ttl := time.Duration(tr.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = 30 * time.Minute // HelloAsso's documented lifetime
	}
	c.token = token{access: tr.AccessToken, expires: now.Add(ttl), refresh: tr.RefreshToken,
		// About 30 days at HelloAsso; a refused refresh falls back to
		// the client credentials anyway.
		refreshExpires: now.Add(29 * 24 * time.Hour)}
	return nil
}

// forget drops the cached access token if it is still tok (the API
// refused it before its announced expiry).
func (c *Client) forget(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token.access == tok {
		c.token.access, c.token.expires = "", time.Time{}
	}
}

// do sends req and decodes a 2xx JSON answer into v; any other answer
// becomes an *Error.
func (c *Client) do(req *http.Request, v any) error {
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return err // the URL holds no secret: the credentials travel in the body or a header
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeError(resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// decodeError reads HelloAsso's error shapes: the RFC 6749 one of the
// token endpoint ({"error", "error_description"}) and the API's
// ({"message"} or {"errors":[{"message"}]}); anything else keeps the
// status alone.
func decodeError(status int, body []byte) *Error {
	e := &Error{Status: status}
	var v struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		Message     string          `json:"message"`
		Errors      []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil {
		return e
	}
	var code string
	if json.Unmarshal(v.Error, &code) == nil {
		e.Code = code
	}
	e.Message = v.Description
	if e.Message == "" {
		e.Message = v.Message
	}
	if e.Message == "" && len(v.Errors) > 0 {
		e.Message = v.Errors[0].Message
	}
	if len(e.Message) > 300 {
		e.Message = e.Message[:300]
	}
	return e
}

// get calls GET path of the API with the access token; on 401 it renews
// the token once and tries again.
func (c *Client) get(ctx context.Context, path string, v any) error {
	for attempt := 0; ; attempt++ {
		tok, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
		if err != nil {
			return fmt.Errorf("helloasso: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		err = c.do(req, v)
		var he *Error
		if attempt == 0 && errors.As(err, &he) && he.Status == http.StatusUnauthorized {
			c.forget(tok)
			continue
		}
		if errors.As(err, &he) && refuses(he.Status) {
			err = &refusal{he}
		}
		if err != nil {
			return fmt.Errorf("helloasso: GET %s: %w", path, err)
		}
		return nil
	}
}

// Order returns an order with GET /v5/orders/{id}. Orders HelloAsso
// refuses or does not know give an error for which IsRefused is true (and
// IsNotFound too for a 404).
func (c *Client) Order(ctx context.Context, id int64) (*Order, error) {
	var o Order
	if err := c.get(ctx, "/orders/"+strconv.FormatInt(id, 10), &o); err != nil {
		return nil, err
	}
	if o.ID != id {
		return nil, fmt.Errorf("helloasso: asked for order %d, got %d", id, o.ID)
	}
	return &o, nil
}

// PaymentOrder reads an order back from the API and converts it. An
// order HelloAsso refuses or does not know (IsRefused) gives an error with
// code central.ENOTFOUND (billing.OrderAPI).
func (c *Client) PaymentOrder(ctx context.Context, id string) (*central.PaymentOrder, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, central.Errorf(central.ENOTFOUND, "%q is not a HelloAsso order id.", id)
	}
	o, err := c.Order(ctx, n)
	if IsRefused(err) {
		return nil, fmt.Errorf("%w (%w)", central.Errorf(central.ENOTFOUND, "HelloAsso refuses or has no order %d.", n), err)
	} else if err != nil {
		return nil, err
	}
	return o.PaymentOrder(), nil
}

// Check gets a new access token: it tells whether the client id and
// secret are right.
func (c *Client) Check(ctx context.Context) error {
	c.mu.Lock()
	c.token = token{}
	c.mu.Unlock()
	_, err := c.accessToken(ctx)
	return err
}
