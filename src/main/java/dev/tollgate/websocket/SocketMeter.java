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
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Meters one socket: reads each whole text message as it passes (a message split over frames is
 * gathered, up to {@code websocket.max_event_bytes}; a larger one is relayed unread), lets {@link
 * SocketTurns} find the turns, and records each finished turn as a call of the session. Runs on the
 * socket's event loop; recording hands over to the metering thread like every call.
 */
final class SocketMeter {
  private final Session session;
  private final SocketTurns turns;
  private final MessageGather fromClient;
  private final MessageGather fromUpstream;

  /**
   * What every turn of the session shares.
   *
   * @param asked the upgrade as a call: its id is the session id, its attribution every turn's
   * @param host the upstream's host
   * @param provider the upstream's label for the ledger
   * @param maxFragments the most frames one message may come in before it is not gathered
   * @param keyRefusal why the socket's key may no longer be used (revoked, expired), or null
   */
  record Session(
      Call.Request asked,
      String host,
      String provider,
      Metering metering,
      BudgetGate budgets,
      AccessLog accessLog,
      SocketMeters meters,
      int maxEventBytes,
      int maxFragments,
      Supplier<String> keyRefusal) {
    Api api() {
      return asked.api();
    }
  }

  SocketMeter(Session session) {
    this.session = session;
    this.fromClient = new MessageGather(session.maxEventBytes(), session.maxFragments(), true);
    this.fromUpstream = new MessageGather(session.maxEventBytes(), session.maxFragments(), false);
    SocketTurns.Kind kind =
        session.api() == Api.REALTIME ? SocketTurns.Kind.REALTIME : SocketTurns.Kind.RESPONSES;
    // At most 1 MiB of a response.create is kept, for the estimate of a turn that gets cut.
    this.turns =
        new SocketTurns(kind, session.asked().model(), Math.min(session.maxEventBytes(), 1 << 20));
  }

  /**
   * A frame on its way. An upstream frame is only read (its buffer retained while its message is
   * gathered) and always relayed. A client's text message in several frames is held back until it
   * is whole, so it is admitted like a one-frame message before any of it goes upstream.
   *
   * @return null to relay the frame; else what to do instead ({@link MeterAction})
   */
  MeterAction frame(WebSocketFrame frame, boolean client, long nanos) {
    ByteBuf content = frame.content();
    session.meters().bytes(session.api(), client, content.readableBytes());
    MessageGather g = client ? fromClient : fromUpstream;
    if (frame instanceof TextWebSocketFrame) {
      g.reset();
      g.inText = true;
    } else if (!(frame instanceof ContinuationWebSocketFrame)) {
      if (!frame.isFinalFragment()) {
        g.reset(); // a binary message begins: nothing in it is metered
        g.skipping = true;
      }
      return null; // control frames and binary messages say nothing about cost
    }
    if (!g.inText || g.skipping) {
      if (frame.isFinalFragment()) {
        g.reset();
      }
      return null;
    }
    if (frame.isFinalFragment() && g.empty()) {
      // One frame, one message: read in place, and still ours to hold back.
      if (client && content.readableBytes() > session.maxEventBytes()) {
        return clientOutgrew(g, frame);
      }
      MeterAction action = message(content, client, nanos);
      g.reset();
      return action;
    }
    long size = g.size() + content.readableBytes();
    if (!g.add(frame)) {
      return client ? clientOutgrew(g, frame) : upstreamOutgrew(g, frame, size, nanos);
    }
    if (!frame.isFinalFragment()) {
      return client ? MeterAction.HOLD : null;
    }
    if (!client) {
      message(g.bytes(), false, nanos);
      g.reset();
      return null;
    }
    MeterAction action = message(g.bytes(), true, nanos);
    List<WebSocketFrame> held = g.takeHeld();
    g.reset();
    if (action != null) {
      held.forEach(WebSocketFrame::release); // refused: none of it goes upstream
      return action;
    }
    return MeterAction.forward(held);
  }

  /**
   * A client message past {@code max_event_bytes} or {@code max_fragments} cannot be read whole, so
   * it cannot be admitted: under a hard budget the socket is closed (1009, too big) rather than let
   * an unchecked turn through; otherwise it goes on unread, as it came.
   */
  private MeterAction clientOutgrew(MessageGather g, WebSocketFrame frame) {
    if (session.budgets().book().hardBudgetFor(session.asked().attribution()) != null) {
      g.reset();
      frame.release();
      return MeterAction.close(
          WebSocketCloseStatus.MESSAGE_TOO_BIG,
          "a message past "
              + session.maxEventBytes()
              + " bytes or "
              + session.maxFragments()
              + " frames cannot be checked against the budget");
    }
    List<WebSocketFrame> out = g.takeHeld();
    out.add(frame);
    g.reset();
    g.inText = !frame.isFinalFragment();
    g.skipping = !frame.isFinalFragment();
    return MeterAction.forward(out);
  }

  /** An upstream message past a bound: relayed, and read only for its type. */
  private MeterAction upstreamOutgrew(
      MessageGather g, WebSocketFrame frame, long size, long nanos) {
    oversized(g.size() > 0 ? g.bytes() : frame.content(), size, nanos);
    g.reset();
    g.inText = true;
    g.skipping = true; // until the message's last frame
    return null;
  }

  /** A whole message; for a client's, what to do instead of sending it on (or null). */
  private MeterAction message(ByteBuf message, boolean client, long nanos) {
    if (!client && message.readableBytes() > session.maxEventBytes()) {
      oversized(message, message.readableBytes(), nanos);
      return null;
    }
    if (client) {
      SocketTurns.Asked asked =
          turns.fromClient(
              message.nioBuffer(), nanos, () -> CallIds.next(System.currentTimeMillis()));
      return asked == null ? null : admit(asked);
    }
    SocketTurns.Turn turn = turns.fromUpstream(message.nioBuffer(), nanos);
    if (turn != null) {
      record(turn, Outcome.OK, nanos);
    }
    return null;
  }

  /** Budgets and rate limits, asked per turn as HTTP asks per call; the refusal event, or null. */
  private MeterAction admit(SocketTurns.Asked asked) {
    String revoked = session.keyRefusal().get();
    if (revoked != null) {
      // The key was revoked or expired since the socket opened: no further turn goes upstream.
      turns.withdraw(asked);
      return MeterAction.close(WebSocketCloseStatus.POLICY_VIOLATION, revoked);
    }
    if (asked == SocketTurns.TOO_MANY) {
      String why =
          "Tollgate lets at most "
              + SocketTurns.MAX_QUEUED
              + " response.create wait for the upstream on one socket; this one was not sent";
      return MeterAction.refuse(ErrorResponses.socketEvent(Failure.BAD_REQUEST, why));
    }
    BudgetGate.Ask ask =
        new BudgetGate.Ask(
            asked.id(),
            session.asked().attribution(),
            asked.model(),
            asked.tier(),
            asked.request().length,
            asked.maxOutputTokens());
    // A socket's messages are relayed in order: a turn cannot wait for a share top-up.
    BudgetGate.Verdict v = session.budgets().admitWithoutWaiting(ask);
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
    return MeterAction.refuse(ErrorResponses.socketEvent(f, v.refusal()));
  }

  /** An upstream message past a bound: relayed, and read only for its type (from its start). */
  private void oversized(ByteBuf start, long size, long nanos) {
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
    fromClient.reset();
    fromUpstream.reset();
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
            s.id(),
            null,
            s.trace() == null ? null : s.trace().forTurn());
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
}
