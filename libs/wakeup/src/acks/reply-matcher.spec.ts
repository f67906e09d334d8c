import { isAckReply } from './reply-matcher';

const replies = ['1', '收到', 'ok', '好的'];

describe('isAckReply', () => {
  it.each(['1', ' 1 ', '１', '1。', '收到', '收到！', '“收到”', 'OK', 'ｏｋ', 'Ok.', '好的'])('%j means received', (t) => {
    expect(isAckReply(t, replies)).toBe(true);
  });

  it.each(['', '  ', '2', '11', '没收到', '收到了吗？', 'ok but the road is flooded', '好'])('%j does not', (t) => {
    expect(isAckReply(t, replies)).toBe(false);
  });
});
