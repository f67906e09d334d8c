import type { Request } from 'express';
import { AppError, CommonErrors } from '@fangxun/common';

/**
 * Reads a request body into memory, at most `limit` bytes. A declared Content-Length over the
 * limit is refused before any byte is read; a chunked body is cut off as soon as it passes the
 * limit — the stream is paused, never drained, and the 413's `Connection: close` (error filter)
 * drops the rest. (body-parser reads an oversized chunked body to its end before answering.)
 */
export function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > limit) return Promise.reject(tooLarge(limit));
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    return Promise.reject(
      new AppError(CommonErrors.UnsupportedMediaType, `content encoding "${encoding}" is not accepted`, [
        { field: 'content-encoding', problem: 'send the body uncompressed' },
      ]),
    );
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (err: AppError | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) {
        req.pause();
        reject(err);
      } else resolve(Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return finish(tooLarge(limit));
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish(
        declared !== undefined && received !== declared
          ? new AppError(CommonErrors.InvalidJson, 'request body shorter than its Content-Length', [
              { field: '(body)', problem: 'truncated' },
            ])
          : null,
      );
    const onError = () =>
      finish(new AppError(CommonErrors.InvalidJson, 'could not read the request body', [{ field: '(body)', problem: 'unreadable' }]));
    const onAborted = () => finish(new AppError(CommonErrors.InvalidJson, 'request aborted', [{ field: '(body)', problem: 'aborted' }]));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** 413 naming the body (or, for an upload, its `file` field). */
export function tooLarge(limit: number, field = '(body)'): AppError {
  return new AppError(CommonErrors.PayloadTooLarge, `request body larger than ${limit} bytes`, [
    { field, problem: `larger than ${limit} bytes` },
  ]);
}
