// The real-clients scenario with Java's java.net.http.HttpClient (JDK only), run by `npm run test:clients` as a
// single-source program:
//   java Scenario.java <base URL> <default|accept-json> <run id> <password>
// `default` sends what HttpClient sends by itself (no Accept) and `Content-Type: application/json`; `accept-json`
// sends `Accept: application/json` on every request and `application/json; charset=utf-8` (and
// `application/merge-patch+json; charset=utf-8`) on bodies. The JDK has no JSON library: a small reader at the end
// of this file parses answers, with numbers kept as BigDecimal so that 15.99 must be exactly 15.99.

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Scenario {
  static final String DESCRIPTION = "Hand-made in Zürich, one of a kind.";
  static final BigDecimal PRICE = new BigDecimal("15.99");
  static String base, mode, step = "start";
  static boolean acceptJson;
  static final HttpClient client = HttpClient.newHttpClient();

  record Answer(int status, HttpResponse<String> response) {
    String text() {
      return response.body();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse("");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object() {
      Object value = new Json(text()).read();
      if (!(value instanceof Map)) fail("not a JSON object: " + text());
      return (Map<String, Object>) value;
    }
  }

  static void fail(String message) {
    System.err.println("java, " + mode + ": FAIL at " + step + ": " + message);
    System.exit(1);
  }

  static void check(boolean ok, String message) {
    if (!ok) fail(message);
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  /** kind is null (no body), "json" or "patch"; body is the JSON text. */
  static Answer call(String method, String path, String token, String kind, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (acceptJson) request.header("Accept", "application/json");
    if (token != null) request.header("Authorization", "Bearer " + token);
    String charset = acceptJson ? "; charset=utf-8" : "";
    if ("json".equals(kind)) request.header("Content-Type", "application/json" + charset);
    if ("patch".equals(kind)) request.header("Content-Type", "application/merge-patch+json" + charset);
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response);
  }

  static Answer expect(Answer answer, int status) {
    check(answer.status() == status, "expected " + status + ", got " + answer.status() + ": " + answer.text());
    return answer;
  }

  static void scenario(String run, String password) throws Exception {
    step = "register";
    String email = run + "@example.com";
    String credentials = "{\"email\":" + quote(email) + ",\"password\":" + quote(password) + "}";
    Map<String, Object> user = expect(call("POST", "/users", null, "json", credentials), 201).object();
    check(email.equals(user.get("email")) && "user".equals(user.get("role")), "user " + user);

    step = "sign in";
    Map<String, Object> tokens = expect(call("POST", "/auth/tokens", null, "json", credentials), 200).object();
    check(tokens.get("accessToken") instanceof String && tokens.get("refreshToken") instanceof String, "tokens");
    String access = (String) tokens.get("accessToken");
    String refresh = (String) tokens.get("refreshToken");

    step = "create a store";
    String storeName = "Store " + run;
    Answer created = expect(call("POST", "/stores", access, "json", "{\"name\":" + quote(storeName) + "}"), 201);
    Map<String, Object> store = created.object();
    String storeId = (String) store.get("id");
    check(storeName.equals(store.get("name")) && storeId != null, "store " + store);
    check(created.header("Location").equals(base + "/stores/" + storeId), "Location " + created.header("Location"));
    check(created.header("ETag").matches("^\"[^\"]+\"$"), "ETag " + created.header("ETag"));

    step = "create an item at 15.99";
    String itemBody =
        "{\"storeId\":" + quote(storeId) + ",\"name\":\"my item\",\"price\":15.99,\"description\":"
            + quote(DESCRIPTION) + "}";
    Map<String, Object> item = expect(call("POST", "/items", access, "json", itemBody), 201).object();
    String itemId = (String) item.get("id");
    check(PRICE.equals(item.get("price")), "price " + item.get("price"));
    check(DESCRIPTION.equals(item.get("description")) && storeId.equals(item.get("storeId")), "item " + item);

    step = "list stores with their items";
    String query = URLEncoder.encode(storeName, StandardCharsets.UTF_8);
    Map<String, Object> listed = expect(call("GET", "/stores?include=items&q=" + query, null, null, null), 200).object();
    Map<?, ?> found = null;
    for (Object s : (List<?>) listed.get("stores")) {
      if (storeId.equals(((Map<?, ?>) s).get("id"))) found = (Map<?, ?>) s;
    }
    check(found != null, "store " + storeId + " not listed: " + listed);
    List<?> embedded = (List<?>) found.get("items");
    check(embedded != null && embedded.size() == 1, "embedded items " + embedded);
    Map<?, ?> first = (Map<?, ?>) embedded.get(0);
    check(itemId.equals(first.get("id")) && PRICE.equals(first.get("price")), "embedded item " + first);
    check(DESCRIPTION.equals(first.get("description")), "embedded description " + first.get("description"));

    step = "clear the description with a merge-patch";
    Map<String, Object> patched =
        expect(call("PATCH", "/items/" + itemId, access, "patch", "{\"description\":null}"), 200).object();
    check(patched.containsKey("description") && patched.get("description") == null, "after the patch " + patched);
    check(PRICE.equals(patched.get("price")) && "my item".equals(patched.get("name")), "changed " + patched);
    Map<String, Object> reread = expect(call("GET", "/items/" + itemId, null, null, null), 200).object();
    check(reread.containsKey("description") && reread.get("description") == null, "read back " + reread);

    step = "delete the item and the store";
    expect(call("DELETE", "/items/" + itemId, null, null, null), 401);
    expect(call("DELETE", "/items/" + itemId, access, null, null), 204);
    expect(call("GET", "/items/" + itemId, null, null, null), 404);
    expect(call("DELETE", "/stores/" + storeId, access, null, null), 204);
    expect(call("GET", "/stores/" + storeId, null, null, null), 404);

    step = "sign out";
    String refreshBody = "{\"refreshToken\":" + quote(refresh) + "}";
    expect(call("POST", "/auth/tokens/revoke", access, "json", refreshBody), 204);
    Answer refused = expect(call("POST", "/auth/tokens/refresh", null, "json", refreshBody), 401);
    check(refused.header("Content-Type").startsWith("application/problem+json"), "a 401 problem");
    expect(call("GET", "/users/me", access, null, null), 401);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !(args[1].equals("default") || args[1].equals("accept-json"))) {
      System.err.println("usage: java Scenario.java <base URL> <default|accept-json> <run id> <password>");
      System.exit(2);
    }
    base = args[0];
    mode = args[1];
    acceptJson = mode.equals("accept-json");
    scenario(args[2], args[3]);
    System.out.println("java, " + mode + ": scenario passed");
  }

  /** A JSON reader (RFC 8259): objects as ordered maps, arrays as lists, numbers as BigDecimal. */
  static final class Json {
    private final String text;
    private int at;

    Json(String text) {
      this.text = text;
    }

    Object read() {
      Object value = value();
      space();
      if (at != text.length()) throw error("trailing text");
      return value;
    }

    private Object value() {
      space();
      if (at >= text.length()) throw error("end of text");
      char c = text.charAt(at);
      if (c == '{') return object();
      if (c == '[') return array();
      if (c == '"') return string();
      if (text.startsWith("true", at)) return literal("true", Boolean.TRUE);
      if (text.startsWith("false", at)) return literal("false", Boolean.FALSE);
      if (text.startsWith("null", at)) return literal("null", null);
      return number();
    }

    private Object literal(String word, Object value) {
      at += word.length();
      return value;
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      at++;
      space();
      if (peek() == '}') {
        at++;
        return map;
      }
      do {
        space();
        String key = string();
        space();
        expect(':');
        map.put(key, value());
        space();
      } while (next() == ',');
      at--;
      expect('}');
      return map;
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      at++;
      space();
      if (peek() == ']') {
        at++;
        return list;
      }
      do {
        list.add(value());
        space();
      } while (next() == ',');
      at--;
      expect(']');
      return list;
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') return out.toString();
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char escaped = next();
        switch (escaped) {
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> out.append(escaped);
        }
      }
    }

    private BigDecimal number() {
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
      if (start == at) throw error("a value");
      return new BigDecimal(text.substring(start, at));
    }

    private void space() {
      while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
    }

    private char peek() {
      if (at >= text.length()) throw error("end of text");
      return text.charAt(at);
    }

    private char next() {
      char c = peek();
      at++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) throw error("'" + c + "'");
    }

    private IllegalArgumentException error(String wanted) {
      return new IllegalArgumentException("JSON: expected " + wanted + " at " + at + " in " + text);
    }
  }
}
