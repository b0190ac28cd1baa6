package edu.mentoring.portal.realtime;

import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The bridge has no origin check of its own: a page on another site could otherwise open a socket with a
 * victim's token. A request with an {@code Origin} is let through only if that origin is the portal's own
 * (same scheme-less host:port as the {@code Host} header) or in {@code PORTAL_ALLOWED_ORIGINS}. Requests without
 * an Origin (not a browser) pass: they carry no ambient credentials.
 */
public final class OriginCheck implements Handler<RoutingContext> {
  private final List<String> allowed;

  public OriginCheck(List<String> allowed) {
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null || allowed(origin, ctx.request().getHeader(HttpHeaders.HOST))) {
      ctx.next();
      return;
    }
    PortalException e = new PortalException(ErrorCode.FORBIDDEN, "origin not allowed");
    ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("error", e.toJson()).encode());
  }

  public boolean allowed(String origin, String host) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (allowed.contains(o)) return true;
    try {
      URI uri = URI.create(o);
      if (uri.getHost() == null || host == null) return false;
      String originHost = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
      String h = host.toLowerCase(Locale.ROOT);
      if (originHost.equals(h)) return true;
      // default ports are left out of one side or the other
      int defaultPort = "https".equals(uri.getScheme()) ? 443 : 80;
      return uri.getPort() == -1 && h.equals(uri.getHost() + ":" + defaultPort)
        || uri.getPort() == defaultPort && h.equals(uri.getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
