package edu.mentoring.portal.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The list replies of every store, one shape: {@code {items: [...]}}, and for paged lists a cursor that appears only
 * when another page exists. Paged queries fetch {@link #fetch(int)} rows (one more than the page) to know that,
 * so a client never follows a cursor to an empty page.
 */
public final class Pages {
  private Pages() {
  }

  /** How many rows a paged query fetches for a page of {@code limit}. */
  public static int fetch(int limit) {
    return limit + 1;
  }

  /** {@code {items}}: a whole list. */
  public static JsonObject items(Iterable<JsonObject> rows) {
    JsonArray items = new JsonArray();
    rows.forEach(items::add);
    return new JsonObject().put("items", items);
  }

  /** Newest first: {@code {items, nextBefore?}}, the cursor being the last item's {@code id}. */
  public static JsonObject before(Iterable<JsonObject> rows, int limit) {
    JsonObject page = items(rows);
    JsonArray items = page.getJsonArray("items");
    if (items.size() > limit) {
      items.remove(items.size() - 1);
      page.put("nextBefore", items.getJsonObject(items.size() - 1).getLong("id"));
    }
    return page;
  }

  /** In id order: {@code {items, hasMore}}. */
  public static JsonObject after(Iterable<JsonObject> rows, int limit) {
    JsonObject page = items(rows);
    JsonArray items = page.getJsonArray("items");
    boolean hasMore = items.size() > limit;
    if (hasMore) items.remove(items.size() - 1);
    return page.put("hasMore", hasMore);
  }
}
