// The real-clients scenario with Go's net/http (standard library only), run by `npm run test:clients`:
//
//	scenario <base URL> <default|accept-json> <run id> <password>
//
// `default` sends what net/http sends by itself (no Accept at all) and `Content-Type: application/json`, the
// type http.Post callers pass. `accept-json` sends `Accept: application/json` on every request and
// `application/json; charset=utf-8` (and `application/merge-patch+json; charset=utf-8`) on bodies.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
)

const description = "Hand-made in Zürich, one of a kind."

var (
	base, mode, run, password string
	acceptJSON                bool
	step                      = "start"
	client                    = &http.Client{}
)

type answer struct {
	status  int
	headers http.Header
	text    string
}

// obj decodes the body as a JSON object, numbers kept as their text (json.Number), so 15.99 must be "15.99".
func (a answer) obj() map[string]any {
	var v map[string]any
	decoder := json.NewDecoder(strings.NewReader(a.text))
	decoder.UseNumber()
	if err := decoder.Decode(&v); err != nil {
		fail("not a JSON object: %v: %s", err, a.text)
	}
	return v
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go, %s: FAIL at %s: %s\n", mode, step, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func check(ok bool, format string, args ...any) {
	if !ok {
		fail(format, args...)
	}
}

// call sends a request; kind is "" (no body), "json" or "patch".
func call(method, path, token, kind string, body any) answer {
	var reader io.Reader
	if kind != "" {
		encoded, err := json.Marshal(body)
		check(err == nil, "encoding %v: %v", body, err)
		reader = bytes.NewReader(encoded)
	}
	request, err := http.NewRequest(method, base+path, reader)
	check(err == nil, "request: %v", err)
	if acceptJSON {
		request.Header.Set("Accept", "application/json")
	}
	if token != "" {
		request.Header.Set("Authorization", "Bearer "+token)
	}
	charset := ""
	if acceptJSON {
		charset = "; charset=utf-8"
	}
	switch kind {
	case "json":
		request.Header.Set("Content-Type", "application/json"+charset)
	case "patch":
		request.Header.Set("Content-Type", "application/merge-patch+json"+charset)
	}
	response, err := client.Do(request)
	check(err == nil, "%s %s: %v", method, path, err)
	defer response.Body.Close()
	text, err := io.ReadAll(response.Body)
	check(err == nil, "reading the body: %v", err)
	return answer{response.StatusCode, response.Header, string(text)}
}

func expect(a answer, status int) answer {
	check(a.status == status, "expected %d, got %d: %s", status, a.status, a.text)
	return a
}

func price(v any) string {
	n, ok := v.(json.Number)
	check(ok, "price %v is not a number", v)
	return n.String()
}

func scenario() {
	step = "register"
	email := run + "@example.com"
	user := expect(call("POST", "/users", "", "json", map[string]string{"email": email, "password": password}), 201).obj()
	check(user["email"] == email && user["role"] == "user", "user %v", user)

	step = "sign in"
	tokens := expect(call("POST", "/auth/tokens", "", "json", map[string]string{"email": email, "password": password}), 200).obj()
	access, ok1 := tokens["accessToken"].(string)
	refresh, ok2 := tokens["refreshToken"].(string)
	check(ok1 && ok2 && access != "" && refresh != "", "tokens %v", tokens)

	step = "create a store"
	storeName := "Store " + run
	created := expect(call("POST", "/stores", access, "json", map[string]string{"name": storeName}), 201)
	store := created.obj()
	storeID, _ := store["id"].(string)
	check(store["name"] == storeName && storeID != "", "store %v", store)
	check(created.headers.Get("Location") == base+"/stores/"+storeID, "Location %q", created.headers.Get("Location"))
	check(regexp.MustCompile(`^"[^"]+"$`).MatchString(created.headers.Get("ETag")), "ETag %q", created.headers.Get("ETag"))

	step = "create an item at 15.99"
	itemBody := map[string]any{"storeId": storeID, "name": "my item", "price": 15.99, "description": description}
	item := expect(call("POST", "/items", access, "json", itemBody), 201).obj()
	itemID, _ := item["id"].(string)
	check(price(item["price"]) == "15.99", "price %v", item["price"])
	check(item["description"] == description && item["storeId"] == storeID && itemID != "", "item %v", item)

	step = "list stores with their items"
	listed := expect(call("GET", "/stores?include=items&q="+url.QueryEscape(storeName), "", "", nil), 200)
	var page struct {
		Stores []struct {
			ID    string `json:"id"`
			Items []struct {
				ID          string      `json:"id"`
				Price       json.Number `json:"price"`
				Description *string     `json:"description"`
			} `json:"items"`
		} `json:"stores"`
	}
	check(json.Unmarshal([]byte(listed.text), &page) == nil, "a store list: %s", listed.text)
	found := false
	for _, s := range page.Stores {
		if s.ID != storeID {
			continue
		}
		found = true
		check(len(s.Items) == 1, "embedded items %s", listed.text)
		embedded := s.Items[0]
		check(embedded.ID == itemID && embedded.Price.String() == "15.99", "embedded item %s", listed.text)
		check(embedded.Description != nil && *embedded.Description == description, "embedded %s", listed.text)
	}
	check(found, "store %s not listed: %s", storeID, listed.text)

	step = "clear the description with a merge-patch"
	patched := expect(call("PATCH", "/items/"+itemID, access, "patch", map[string]any{"description": nil}), 200).obj()
	cleared, present := patched["description"]
	check(present && cleared == nil, "description after the patch %v", patched)
	check(price(patched["price"]) == "15.99" && patched["name"] == "my item", "other fields changed %v", patched)
	reread := expect(call("GET", "/items/"+itemID, "", "", nil), 200).obj()
	cleared, present = reread["description"]
	check(present && cleared == nil, "description read back %v", reread)

	step = "delete the item and the store"
	expect(call("DELETE", "/items/"+itemID, "", "", nil), 401)
	expect(call("DELETE", "/items/"+itemID, access, "", nil), 204)
	expect(call("GET", "/items/"+itemID, "", "", nil), 404)
	expect(call("DELETE", "/stores/"+storeID, access, "", nil), 204)
	expect(call("GET", "/stores/"+storeID, "", "", nil), 404)

	step = "sign out"
	expect(call("POST", "/auth/tokens/revoke", access, "json", map[string]string{"refreshToken": refresh}), 204)
	refused := expect(call("POST", "/auth/tokens/refresh", "", "json", map[string]string{"refreshToken": refresh}), 401)
	contentType := refused.headers.Get("Content-Type")
	check(strings.HasPrefix(contentType, "application/problem+json"), "a 401 problem: %q", contentType)
	expect(call("GET", "/users/me", access, "", nil), 401)
}

func main() {
	if len(os.Args) != 5 || (os.Args[2] != "default" && os.Args[2] != "accept-json") {
		fmt.Fprintln(os.Stderr, "usage: scenario <base URL> <default|accept-json> <run id> <password>")
		os.Exit(2)
	}
	base, mode, run, password = os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	acceptJSON = mode == "accept-json"
	scenario()
	fmt.Printf("go, %s: scenario passed\n", mode)
}
