export * from './geo.errors';
export * from './geo.module';
export * from './geojson/geojson-checker.service';
export * from './geojson/geojson.types';
