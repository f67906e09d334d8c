// Channels that carry messages to people: SMS providers (./sms) and socket.io (./socket).
export * from './socket';
export * from './sms';
