package edu.mentoring.portal.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Reads just the fields the harness needs from a frame with Jackson's streaming parser (no tree, skips what it does
 * not need), then tells the sink. Bridge frames: {@code {"type":"rec","address":room,"body":{...}}} and
 * {@code {"type":"err","body":"rejected","address":...}}; Socket.IO: {@code 42["schedule:created",{...}]}.
 */
final class Frames {
  private static final JsonFactory JSON = new JsonFactory();

  private Frames() {
  }

  /** The fields of a message body (an event envelope, a notification message, a room confirmation). */
  static final class Body {
    String type;
    long id = -1;
    long targetId = -1;
    long notificationId = -1;
    long notificationEventId = -1;
    String notificationType;
    String room;
  }

  static void bridge(Buffer frame, long nanos, ClientSocket socket, EventSink sink) {
    String type = null;
    String address = null;
    String errBody = null;
    Body body = null;
    try (JsonParser p = JSON.createParser(frame.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) return;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "type" -> type = p.getValueAsString();
          case "address" -> address = p.getValueAsString();
          case "body" -> {
            if (t == JsonToken.START_OBJECT) body = body(p);
            else if (t.isScalarValue()) errBody = p.getValueAsString();
            else p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      sink.onOther(socket, nanos, "unparsable");
      return;
    }
    sink.onFrame(body != null && body.type != null ? body.type : type, frame.length());
    if ("err".equals(type)) {
      sink.onError(socket, errBody, address);
    } else if ("rec".equals(type) && body != null) {
      deliver(socket, nanos, address, body, sink);
    } else if (type != null && !"pong".equals(type)) {
      sink.onOther(socket, nanos, type);
    }
  }

  /** A Socket.IO packet: {@code 42[name, payload]} events; everything else is the client's business. */
  static void socketIoEvent(String text, long nanos, ClientSocket socket, EventSink sink) {
    try (JsonParser p = JSON.createParser(text.substring(2))) {
      if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) return;
      String name = p.getValueAsString();
      Body body = p.nextToken() == JsonToken.START_OBJECT ? body(p) : new Body();
      if (body.type == null) body.type = name;
      sink.onFrame(body.type, text.length());
      deliver(socket, nanos, null, body, sink);
    } catch (IOException e) {
      sink.onOther(socket, nanos, "unparsable");
    }
  }

  private static void deliver(ClientSocket socket, long nanos, String room, Body body, EventSink sink) {
    if ("notification:created".equals(body.type)) {
      sink.onNotification(socket, nanos, body.notificationId, body.notificationEventId, body.notificationType);
    } else if ("room:joined".equals(body.type)) {
      socket.joined.add(body.room != null ? body.room : room);
      sink.onJoined(socket, body.room != null ? body.room : room);
    } else if (body.id >= 0 && body.type != null) {
      socket.sawId(body.id);
      sink.onEvent(socket, nanos, room, body.id, body.type, body.targetId);
    } else {
      sink.onOther(socket, nanos, body.type);
    }
  }

  /** Reads an object whose START_OBJECT was just read: id, type, target.id, data.notification.*, data.room. */
  private static Body body(JsonParser p) throws IOException {
    Body b = new Body();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "id" -> b.id = t.isNumeric() ? p.getLongValue() : -1;
        case "type" -> b.type = p.getValueAsString();
        case "target" -> {
          if (t == JsonToken.START_OBJECT) b.targetId = idIn(p);
        }
        case "data" -> {
          if (t == JsonToken.START_OBJECT) data(p, b);
        }
        default -> p.skipChildren();
      }
    }
    return b;
  }

  private static void data(JsonParser p, Body b) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (f.equals("room") && t == JsonToken.VALUE_STRING) {
        b.room = p.getValueAsString();
      } else if (f.equals("notification") && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String n = p.currentName();
          JsonToken v = p.nextToken();
          switch (n) {
            case "id" -> b.notificationId = v.isNumeric() ? p.getLongValue() : -1;
            case "eventId" -> b.notificationEventId = v.isNumeric() ? p.getLongValue() : -1;
            case "type" -> b.notificationType = p.getValueAsString();
            default -> p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  /** The "id" of the object just opened (skipping the rest of it). */
  private static long idIn(JsonParser p) throws IOException {
    long id = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (f.equals("id") && t.isNumeric()) id = p.getLongValue();
      else p.skipChildren();
    }
    return id;
  }
}
