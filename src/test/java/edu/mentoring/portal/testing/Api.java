package edu.mentoring.portal.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A small blocking HTTP client for tests (call it from the test thread, never an event loop). */
public final class Api {
  private final WebClient client;

  public Api(Vertx vertx, int port) {
    this(vertx, port, 5);
  }

  /** With up to {@code connections} requests on the wire at once (the client's default is 5). */
  public Api(Vertx vertx, int port, int connections) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
      new PoolOptions().setHttp1MaxSize(connections));
  }

  public Response get(String path, String token) {
    return send(HttpMethod.GET, path, token, null, null);
  }

  public Response post(String path, String token, JsonObject body) {
    return send(HttpMethod.POST, path, token, body == null ? null : body.toBuffer(), "application/json");
  }

  public Response put(String path, String token, JsonObject body) {
    return send(HttpMethod.PUT, path, token, body.toBuffer(), "application/json");
  }

  public Response patch(String path, String token, JsonObject body) {
    return send(HttpMethod.PATCH, path, token, body.toBuffer(), "application/json");
  }

  public Response delete(String path, String token) {
    return send(HttpMethod.DELETE, path, token, null, null);
  }

  public Response send(HttpMethod method, String path, String token, Buffer body, String contentType) {
    return request(method, path, token, body, contentType).await();
  }

  /** Without waiting: many requests in flight at once (a flood). */
  public Future<Response> request(HttpMethod method, String path, String token, Buffer body, String contentType) {
    HttpRequest<Buffer> req = client.request(method, path);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    if (contentType != null) req.putHeader("Content-Type", contentType);
    return (body == null ? req.send() : req.sendBuffer(body)).map(response -> new Response(response.statusCode(),
      response.body() == null ? Buffer.buffer() : response.body(), response.getHeader("Content-Type"),
      response.getHeader("Retry-After")));
  }

  /** With one extra header (an Idempotency-Key, an X-Request-Id). */
  public Future<Response> requestWithHeader(HttpMethod method, String path, String token, Buffer body, String header,
                                            String value) {
    HttpRequest<Buffer> req = client.request(method, path).putHeader(header, value);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    if (body != null) req.putHeader("Content-Type", "application/json");
    return (body == null ? req.send() : req.sendBuffer(body)).map(response -> new Response(response.statusCode(),
      response.body() == null ? Buffer.buffer() : response.body(), response.getHeader("Content-Type"),
      response.getHeader("Retry-After")));
  }

  public Future<Response> postAsync(String path, String token, JsonObject body) {
    return request(HttpMethod.POST, path, token, body.toBuffer(), "application/json");
  }

  /** Signs in and returns the token (fails the test on anything but 200). */
  public String login(String email, String password) {
    Response r = post("/api/auth/login", null, new JsonObject().put("email", email).put("password", password));
    if (r.status() != 200) throw new AssertionError("login " + email + " → " + r);
    return r.json().getString("token");
  }

  public record Response(int status, Buffer raw, String contentType, String retryAfter) {
    public Response(int status, Buffer raw, String contentType) {
      this(status, raw, contentType, null);
    }

    public JsonObject json() {
      return raw.length() == 0 ? null : raw.toJsonObject();
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public String errorCode() {
      JsonObject j = json();
      return j == null || j.getJsonObject("error") == null ? null : j.getJsonObject("error").getString("code");
    }

    @Override
    public String toString() {
      return status + " " + raw.toString();
    }
  }
}
