package dev.tollgate.websocket;

import dev.tollgate.budget.BudgetGate;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.Timings;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.AccessLog;
import dev.tollgate.metering.CallIds;
import dev.tollgate.metering.Metering;
import dev.tollgate.openai.SocketTurns;
import dev.tollgate.proxy.SpendGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayInputStream;
import java.time.Instant;

/**
 * Meters one socket: reads each whole text message as it passes (a message split over frames is
 * gathered, up to {@code websocket.max_event_bytes}; a larger one is relayed unread), lets {@link
 * SocketTurns} find the turns, and records each finished turn as a call of the session. Runs on the
 * socket's event loop; recording hands over to the metering thread like every call.
 */
final class SocketMeter {
  private final Session session;
  private final SocketTurns turns;
  private final Gathered fromClient = new Gathered();
  private final Gathered fromUpstream = new Gathered();

  /**
   * What every turn of the session shares.
   *
   * @param asked the upgrade as a call: its id is the session id, its attribution every turn's
   * @param host the upstream's host
   * @param provider the upstream's label for the ledger
   */
  record Session(
      Call.Request asked,
      String host,
      String provider,
      Metering metering,
      BudgetGate budgets,
      AccessLog accessLog,
      SocketMeters meters,
      int maxEventBytes) {
    Api api() {
      return asked.api();
    }
  }

  /** The pieces of one message not yet complete, from one side. */
  private static final class Gathered {
    CompositeByteBuf parts;
    boolean inText; // within a text message (its first frame seen, its last not yet)
    boolean skipping; // the message outgrew the bound, or is binary: relayed, not read
  }

  SocketMeter(Session session) {
    this.session = session;
    SocketTurns.Kind kind =
        session.api() == Api.REALTIME ? SocketTurns.Kind.REALTIME : SocketTurns.Kind.RESPONSES;
    // At most 1 MiB of a response.create is kept, for the estimate of a turn that gets cut.
    this.turns =
        new SocketTurns(kind, session.asked().model(), Math.min(session.maxEventBytes(), 1 << 20));
  }

  /**
   * A frame on its way; its buffer is only read (and retained while a message is gathered).
   *
   * @return null to relay it; else the event to answer the client with instead (a {@code
   *     response.create} that a budget or rate limit refuses, in one frame)
   */
  String frame(WebSocketFrame frame, boolean client, long nanos) {
    ByteBuf content = frame.content();
    session.meters().bytes(session.api(), client, content.readableBytes());
    Gathered g = client ? fromClient : fromUpstream;
    if (frame instanceof TextWebSocketFrame) {
      drop(g);
      g.inText = true;
    } else if (!(frame instanceof ContinuationWebSocketFrame)) {
      if (!frame.isFinalFragment()) {
        drop(g); // a binary message begins: nothing in it is metered
        g.skipping = true;
      }
      return null; // control frames and binary messages say nothing about cost
    }
    if (!g.inText || g.skipping) {
      if (frame.isFinalFragment()) {
        drop(g);
      }
      return null;
    }
    if (frame.isFinalFragment() && g.parts == null) {
      // One frame, one message: read in place, and still ours to hold back.
      String refusal = message(content, client, true, nanos);
      drop(g);
      return refusal;
    }
    if (g.parts == null) {
      g.parts = content.alloc().compositeBuffer();
    }
    if (g.parts.readableBytes() + content.readableBytes() > session.maxEventBytes()) {
      ByteBuf start = g.parts.isReadable() ? g.parts : content;
      oversized(start, client, g.parts.readableBytes() + content.readableBytes(), nanos);
      drop(g);
      g.inText = true;
      g.skipping = true;
      return null;
    }
    g.parts.addComponent(true, content.retainedSlice());
    if (frame.isFinalFragment()) {
      message(g.parts, client, false, nanos); // its first frames are gone: too late to refuse
      drop(g);
    }
    return null;
  }

  /**
   * @param refusable the message has not gone on yet: a create may still be refused (a message
   *     gathered from several frames has, so it is metered but never admitted or refused)
   */
  private String message(ByteBuf message, boolean client, boolean refusable, long nanos) {
    if (message.readableBytes() > session.maxEventBytes()) {
      oversized(message, client, message.readableBytes(), nanos);
      return null;
    }
    if (client) {
      SocketTurns.Asked asked =
          turns.fromClient(
              message.nioBuffer(), nanos, () -> CallIds.next(System.currentTimeMillis()));
      return asked == null || !refusable ? null : admit(asked);
    }
    SocketTurns.Turn turn = turns.fromUpstream(message.nioBuffer(), nanos);
    if (turn != null) {
      record(turn, Outcome.OK, nanos);
    }
    return null;
  }

  /** Budgets and rate limits, asked per turn as HTTP asks per call; the refusal event, or null. */
  private String admit(SocketTurns.Asked asked) {
    if (asked == SocketTurns.TOO_MANY) {
      String why =
          "Tollgate lets at most "
              + SocketTurns.MAX_QUEUED
              + " response.create wait for the upstream on one socket; this one was not sent";
      return ErrorResponses.socketEvent(Failure.BAD_REQUEST, why);
    }
    BudgetGate.Verdict v =
        session
            .budgets()
            .admit(
                new BudgetGate.Ask(
                    asked.id(),
                    session.asked().attribution(),
                    asked.model(),
                    asked.tier(),
                    asked.request().length,
                    asked.maxOutputTokens()));
    if (v.admitted()) {
      if (!turns.queues()) {
        // A Realtime turn is started, and billed, by the server's events: nothing will settle
        // this reservation, so the create is only checked, and spend counts once recorded.
        session.budgets().release(asked.id());
      }
      return null;
    }
    turns.withdraw(asked);
    Failure f = SpendGuard.failure(v);
    session.meters().turn(session.api(), SocketMeters.Ending.REFUSED);
    session
        .accessLog()
        .refused(asked.id(), "WS", session.asked().path(), f.status().code(), 0, f.outcome());
    return ErrorResponses.socketEvent(f, v.refusal());
  }

  /** A message past {@code websocket.max_event_bytes}: relayed, and read only for its type. */
  private void oversized(ByteBuf start, boolean client, long size, long nanos) {
    if (client) {
      return;
    }
    ByteBuf head = start.slice(start.readerIndex(), Math.min(start.readableBytes(), 4096));
    SocketTurns.Turn turn = turns.oversized(head.nioBuffer(), size, nanos);
    if (turn != null) {
      record(turn, Outcome.OK, nanos);
    }
  }

  /** True while a turn is asked for or under way. */
  boolean busy() {
    return turns.busy();
  }

  /** The socket ended: a turn under way is recorded as cut, to be estimated. */
  void end(Outcome how, long nanos) {
    drop(fromClient);
    drop(fromUpstream);
    SocketTurns.Turn turn = turns.cut(nanos);
    if (turn != null) {
      record(turn, how, nanos);
    }
    for (SocketTurns.Asked never : turns.unanswered()) {
      session.budgets().release(never.id()); // never begun: nothing to settle
    }
  }

  private void record(SocketTurns.Turn t, Outcome how, long nanos) {
    Call.Request s = session.asked();
    long startNanos = Math.min(t.startNanos(), nanos);
    Call.Request asked =
        new Call.Request(
            t.id() != null ? t.id() : CallIds.next(System.currentTimeMillis()),
            Instant.now().minusNanos(nanos - startNanos),
            s.api(),
            "WS",
            s.path(),
            t.model(),
            t.tier(),
            true,
            s.attribution(),
            s.id());
    long total = t.endNanos() - startNanos;
    // A client that left mid-turn is a 499, as on HTTP: billable, and estimated.
    int status = t.cut() && how.equals(Outcome.CLIENT_CLOSED) ? 499 : t.status();
    // No upstream time of its own: a turn is not an HTTP exchange, and counting it as one would
    // put zeros into the per-request overhead histogram.
    Call.Relay relay =
        new Call.Relay(
            status,
            t.cut() ? how : Outcome.OK,
            new Timings(total, -1, t.firstEventNanos() - startNanos));
    byte[] request = t.request();
    session
        .metering()
        .complete(
            asked,
            relay,
            t.facts(),
            () -> new ByteArrayInputStream(request),
            () -> {},
            session.host(),
            session.provider());
    SocketMeters.Ending ending =
        t.cut()
            ? SocketMeters.Ending.CUT
            : t.status() == 200 ? SocketMeters.Ending.COMPLETED : SocketMeters.Ending.REFUSED;
    session.meters().turn(session.api(), ending);
  }

  private static void drop(Gathered g) {
    if (g.parts != null) {
      g.parts.release();
      g.parts = null;
    }
    g.inText = false;
    g.skipping = false;
  }
}
