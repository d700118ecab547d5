package dev.loadleak.engine;

/** What a flow's real-time connections did, counted per (phase, flow) ({@link ResultSink#onRealtime}). */
public enum RealtimeEvent {
    /** A text message (a Socket.IO emit) left. */
    MESSAGE_SENT,
    /** A text message (a Socket.IO event or ack) arrived. */
    MESSAGE_RECEIVED,
    /** A connect step opened a connection. */
    OPENED,
    /** A connection ended, whoever ended it. */
    CLOSED,
    /** A connect step found its user's connection to the same place open, and kept it (closed users). */
    REUSED,
    /** An Engine.IO ping answered. */
    HEARTBEAT,
    /** A message no step took was dropped from the {@value RealtimeSteps#KEPT} kept per connection. */
    DISCARDED,
    /** A connection the server ended, or whose heartbeats stopped (a subset of {@link #CLOSED}). */
    LOST
}
