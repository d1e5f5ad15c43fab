/** The part of the Khronos validator's API (npm gltf-validator, no bundled types) that we use. */
declare module 'gltf-validator' {
  interface ValidationOptions {
    uri?: string;
    maxIssues?: number;
    externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
  }
  const validator: { validateBytes(data: Uint8Array, options?: ValidationOptions): Promise<unknown> };
  export default validator;
}
