/**
 * Whether WebGL runs in software (SwiftShader, llvmpipe: headless browsers, VMs, kiosks without a GPU).
 * There every pixel is shaded on the CPU, so the scene turns multisampling off and renders fewer pixels.
 */
export function isSoftwareRenderer(): boolean {
  if (typeof document === 'undefined') return false;
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software|softpipe/i.test(name);
}
