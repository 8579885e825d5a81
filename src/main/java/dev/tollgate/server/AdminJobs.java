package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.ledger.JobLeases;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.time.Clock;

/**
 * {@code GET /admin/jobs}: each background job, the replica holding it and until when, and its last
 * run (when, where, how it went), the same on every replica; and which replica this is.
 */
final class AdminJobs implements AdminExtras {
  static final String PATH = "/admin/jobs";
  private static final JsonFactory JSON = new JsonFactory();

  private final JobLeases leases;
  private final String replica;
  private final Clock clock;

  AdminJobs(JobLeases leases, String replica, Clock clock) {
    this.leases = leases;
    this.replica = replica;
    this.clock = clock;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public FullHttpResponse answer(String path, QueryStringDecoder query, ByteBufAllocator alloc)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("replica", replica);
      g.writeArrayFieldStart("jobs");
      for (JobLeases.Lease l : leases.list()) {
        g.writeStartObject();
        g.writeStringField("job", l.job());
        boolean live = l.leaseUntil().isAfter(clock.instant());
        g.writeStringField("holder", live ? l.holder() : null);
        g.writeStringField("lease_until", live ? l.leaseUntil().toString() : null);
        g.writeBooleanField("held_here", live && l.holder().equals(replica));
        g.writeStringField("last_run", l.lastRun() == null ? null : l.lastRun().toString());
        g.writeStringField("last_run_by", l.lastRunBy());
        g.writeStringField("last_outcome", l.lastOutcome());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return AdminQueries.body(
        HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, out.toByteArray());
  }
}
