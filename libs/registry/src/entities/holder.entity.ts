// Not an entity any more (the registry reads and writes with SQL). Kept only because the demo
// seed imports this path and is being moved on branch h15b: delete once it imports the barrel.
export * from '../holders/holder-role';
