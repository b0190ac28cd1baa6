package edu.mentoring.portal.realtime;

import edu.mentoring.portal.events.EventTypes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Each recipient's {@code notification:created} frame of a {@link RealtimeAddresses#NOTIFICATIONS} message, for the
 * recipients with a socket on this node. Frames differ only in the room, the notification id and the unread count,
 * so the shared text is encoded once per group and each frame is spliced from it, not encoded anew.
 */
final class NotificationFrames {
  private NotificationFrames() {
  }

  static void deliver(RoomHub hub, JsonObject message) {
    if (message == null) return;
    String occurredAt = Instant.now().toString();
    List<RoomHub.Delivery> frames = new ArrayList<>();
    for (Object g : message.getJsonArray("groups", new JsonArray())) {
      JsonObject group = (JsonObject) g;
      JsonObject notification = group.getJsonObject("notification", new JsonObject()).copy();
      notification.remove("id");
      String encoded = notification.encode();
      String shared = encoded.length() > 2 ? "," + encoded.substring(1, encoded.length() - 1) : ""; // after the id
      String head = ",\"body\":{\"type\":\"" + EventTypes.NOTIFICATION_CREATED + "\",\"occurredAt\":\"" + occurredAt
        + "\",\"data\":{\"notification\":{\"id\":";
      JsonArray users = group.getJsonArray("users", new JsonArray());
      JsonArray ids = group.getJsonArray("ids", new JsonArray());
      JsonArray unread = group.getJsonArray("unread", new JsonArray());
      for (int i = 0; i < users.size(); i++) {
        String room = Rooms.user(users.getLong(i));
        if (hub.roomMembers(room) == 0) continue;
        String json = "{\"type\":\"rec\",\"address\":\"" + room + "\"" + head + ids.getLong(i) + shared
          + "},\"unreadCount\":" + unread.getLong(i) + "}}}";
        frames.add(new RoomHub.Delivery(room, new Frame(Buffer.buffer(json))));
      }
    }
    hub.deliverAll(frames);
  }
}
