package dev.tollgate.openai;

import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Follows the turns of one WebSocket session from the events passing through it, and says when a
 * turn is finished and what it cost in tokens. A Responses socket ({@code GET /v1/responses}) bills
 * each {@code response.completed}, {@code incomplete}, {@code failed} or {@code cancelled}; a
 * Realtime socket bills each {@code response.done}. A turn begins with the client's {@code
 * response.create} (Responses) or the upstream's {@code response.created} (Realtime, where the
 * server's voice detection starts responses on its own), and a socket that closes while one is open
 * gives that turn back as cut, with the text seen so far for an estimate.
 *
 * <p>Netty-free: messages in as byte buffers (left unchanged), finished turns out. Not thread-safe:
 * one socket's events arrive on one event loop.
 */
public final class SocketTurns {
  /** Which protocol the socket speaks. */
  public enum Kind {
    RESPONSES,
    REALTIME
  }

  /**
   * A finished turn.
   *
   * @param id the id its {@code response.create} was given, or null (a turn the server started)
   * @param model the model asked for ({@code response.create}'s, else the session's), or null
   * @param tier the {@code service_tier} asked for, or null
   * @param request the {@code response.create} message (at most the configured bytes), for an
   *     estimate; empty on Realtime sockets
   * @param facts what the terminal event said (usage, served model, status, tools), or for a cut
   *     turn the text seen so far and no usage
   * @param status 200 for a turn the upstream finished, the error event's status for a refused one
   * @param cut the socket closed before the turn finished
   */
  public record Turn(
      String id,
      String model,
      String tier,
      byte[] request,
      ResponseFacts facts,
      int status,
      boolean cut,
      long startNanos,
      long firstEventNanos,
      long endNanos) {}

  private static final Set<String> RESPONSES_TERMINAL =
      Set.of("response.completed", "response.incomplete", "response.failed", "response.cancelled");
  private static final String REALTIME_TERMINAL = "response.done";
  private static final String TRANSCRIPTION_DONE =
      "conversation.item.input_audio_transcription.completed";

  /** Creates a Responses socket may have waiting (the upstream answers one at a time). */
  public static final int MAX_QUEUED = 8;

  /** The answer to a create past {@link #MAX_QUEUED}. */
  public static final Asked TOO_MANY = new Asked("", null, null, new byte[0], -1, 0);

  private static final byte[] NONE = new byte[0];

  private final Kind kind;
  private final int maxRequestBytes;
  private final ArrayDeque<Asked> queued = new ArrayDeque<>();
  private String sessionModel;
  private String transcriptionModel;
  private Open open;

  /**
   * A {@code response.create} the upstream has not started answering yet.
   *
   * @param id the id the caller gave it (the turn's call id)
   * @param maxOutputTokens its output cap, or -1
   */
  public record Asked(
      String id, String model, String tier, byte[] request, long maxOutputTokens, long nanos) {}

  /** The turn under way. */
  private static final class Open {
    final Asked asked;
    final long firstEventNanos;
    final OutputText text = new OutputText();

    Open(Asked asked, long firstEventNanos) {
      this.asked = asked;
      this.firstEventNanos = firstEventNanos;
    }
  }

  /**
   * @param model the model the socket was opened for (Realtime's {@code ?model=}), or null
   * @param maxRequestBytes the most of a {@code response.create} kept for an estimate
   */
  public SocketTurns(Kind kind, String model, int maxRequestBytes) {
    this.kind = kind;
    this.sessionModel = model;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * A whole message the client sent. A {@code response.create} gives its {@link Asked} (for the
   * caller's budget check); on a Responses socket it is also queued as the next turn, so the turn
   * carries its id and model, and the caller can still {@link #withdraw} it. A Realtime server may
   * start turns of its own and refuses a second create while one runs, so there a create is only
   * asked about, never queued. {@link #TOO_MANY} when a Responses socket already has {@value
   * #MAX_QUEUED} waiting: the caller refuses it. Anything else gives null.
   */
  public Asked fromClient(ByteBuffer message, long nanos, Supplier<String> newId) {
    SocketEvent e = SocketEvent.read(message);
    if (!"response.create".equals(e.type())) {
      return null;
    }
    if (kind == Kind.RESPONSES && queued.size() >= MAX_QUEUED) {
      return TOO_MANY;
    }
    RequestSummary s = RequestSummary.read(new ByteBufferBackedInputStream(message.duplicate()));
    byte[] request = new byte[Math.min(message.remaining(), maxRequestBytes)];
    message.duplicate().get(request);
    String model = s.model() != null ? s.model() : sessionModel;
    Asked asked =
        new Asked(newId.get(), model, s.serviceTier(), request, s.maxOutputTokens(), nanos);
    if (kind == Kind.RESPONSES) {
      queued.add(asked);
    }
    return asked;
  }

  /** Whether a create's {@link Asked} becomes the turn it starts (its id is the turn's call id). */
  public boolean queues() {
    return kind == Kind.RESPONSES;
  }

  /** Forgets a turn asked for that will not reach the upstream (refused by a budget). */
  public void withdraw(Asked asked) {
    queued.remove(asked);
  }

  /** A whole message the upstream sent; the turn it finished, or null. */
  public Turn fromUpstream(ByteBuffer message, long nanos) {
    SocketEvent e = SocketEvent.read(message);
    String type = e.type();
    if (type == null) {
      return null;
    }
    if (type.startsWith("session.")) {
      SocketEvent.Session s = SocketEvent.session(message);
      sessionModel = s.model() != null ? s.model() : sessionModel;
      transcriptionModel = s.transcriptionModel();
      return null;
    }
    if (type.equals(TRANSCRIPTION_DONE)) {
      return transcription(message, nanos);
    }
    if (terminal(type)) {
      ResponseReader reader = ResponseReader.json();
      reader.feed(message.duplicate());
      return finish(reader.facts(), 200, false, nanos);
    }
    if (kind == Kind.RESPONSES && type.equals("error") && (open != null || !queued.isEmpty())) {
      // The Responses socket's answer to a refused response.create: the turn ends unbilled.
      ResponseReader reader = ResponseReader.json();
      reader.feed(message.duplicate());
      int status = e.status() >= 400 && e.status() <= 599 ? e.status() : 500;
      return finish(reader.facts(), status, false, nanos);
    }
    if (type.startsWith("response.")) {
      Open turn = begin(nanos);
      if (e.delta() != null) {
        turn.text.append(e.delta());
      }
    }
    return null;
  }

  /**
   * A message too large to read whole, of which {@code prefix} is the start: OpenAI writes an
   * event's type first, so a terminal one still ends its turn, with its usage unread (the turn is
   * then estimated and flagged, never $0). Null for any other message.
   */
  public Turn oversized(ByteBuffer prefix, long size, long nanos) {
    String type = SocketEvent.read(prefix).type();
    if (type == null || !terminal(type)) {
      return null;
    }
    ResponseFacts unread = ResponseFacts.ofTurn("event_bytes=" + size, "", 0);
    return finish(unread, 200, false, nanos);
  }

  /**
   * Realtime's transcription of the caller's audio, billed apart at the transcription model's
   * rates: a call of its own, alongside the turns. Only token usage is read (whisper-1 reports
   * seconds, which the catalog does not price).
   */
  private Turn transcription(ByteBuffer message, long nanos) {
    ResponseReader reader = ResponseReader.json();
    reader.feed(message.duplicate());
    ResponseFacts facts = reader.facts();
    if (facts.usage() == null && facts.usageInvalid() == null) {
      return null;
    }
    return new Turn(null, transcriptionModel, null, NONE, facts, 200, false, nanos, nanos, nanos);
  }

  private boolean terminal(String type) {
    return kind == Kind.RESPONSES
        ? RESPONSES_TERMINAL.contains(type)
        : type.equals(REALTIME_TERMINAL);
  }

  /**
   * The socket closed: the turn under way, as cut; on a Responses socket also a turn asked for and
   * not yet begun (the upstream answers one at a time, so it may be working on it). Null when there
   * is none. What else was asked is left in {@link #unanswered}.
   */
  public Turn cut(long nanos) {
    if (open == null && queued.isEmpty()) {
      return null;
    }
    Open turn = begin(nanos);
    ResponseFacts facts = ResponseFacts.ofTurn(null, turn.text.text(), turn.text.overflow());
    return finish(facts, 200, true, nanos);
  }

  /** Turns asked for that never began, once the socket has closed: no turn will bill them. */
  public List<Asked> unanswered() {
    return List.copyOf(queued);
  }

  /** True while a turn is under way, or (on a Responses socket) asked for. */
  public boolean busy() {
    return open != null || !queued.isEmpty();
  }

  private Open begin(long nanos) {
    if (open == null) {
      Asked asked = queued.poll();
      open =
          new Open(
              asked != null ? asked : new Asked(null, sessionModel, null, NONE, -1, nanos), nanos);
    }
    return open;
  }

  private Turn finish(ResponseFacts facts, int status, boolean cut, long nanos) {
    Open turn = begin(nanos);
    open = null;
    Asked a = turn.asked;
    return new Turn(
        a.id(),
        a.model() != null ? a.model() : sessionModel,
        a.tier(),
        a.request(),
        facts,
        status,
        cut,
        a.nanos(),
        turn.firstEventNanos,
        nanos);
  }
}
