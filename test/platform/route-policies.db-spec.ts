import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';
import { ACCESS_POLICY } from '@fangxun/common';
import { ApiModule } from '../../apps/api/src/api.module';

/** Fail-closed is the guard's job; this makes a forgotten decorator visible before it ships. */
describe('every route declares who may call it', () => {
  let m: TestingModule;
  beforeAll(async () => {
    m = await Test.createTestingModule({ imports: [ApiModule, DiscoveryModule] }).compile();
  });
  afterAll(() => m.close());

  it('has an access policy (public, roles or API key) on every controller method', () => {
    const discovery = m.get(DiscoveryService);
    const reflector = m.get(Reflector);
    const scanner = new MetadataScanner();
    const routes: string[] = [];
    const missing: string[] = [];
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name] as () => unknown;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const route = `${RequestMethod[method]} ${String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype))}/${String(Reflect.getMetadata(PATH_METADATA, handler))}`;
        routes.push(route);
        if (!reflector.getAllAndOverride<unknown>(ACCESS_POLICY, [handler, wrapper.metatype as () => unknown])) missing.push(route);
      }
    }
    expect(routes.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
