import { maskDeep, maskPhones } from './mask';

describe('phone masking in logs', () => {
  it('masks Chinese mobiles with or without +86, and other E.164 numbers', () => {
    expect(maskPhones('call 13912345678 now')).toBe('call 139****5678 now');
    expect(maskPhones('+8613912345678')).toBe('+86139****5678');
    expect(maskPhones('+8657685123456')).toBe('+865****3456');
    expect(maskPhones('order 2026072812 is not a phone')).toBe('order 2026072812 is not a phone');
  });

  it('masks nested values without touching the original', () => {
    const record = { msg: 'sms', to: ['+8613912345678'], nested: { mobile: '13800001111' } };
    expect(maskDeep(record)).toEqual({ msg: 'sms', to: ['+86139****5678'], nested: { mobile: '138****1111' } });
    expect(record.nested.mobile).toBe('13800001111');
  });
});

describe('masking leaves non-plain objects alone', () => {
  it('keeps class instances (raw req/res) as they are', () => {
    class Res {
      get headersSent() {
        return true;
      }
    }
    const res = new Res();
    expect((maskDeep({ res }) as { res: unknown }).res).toBe(res);
  });
});
