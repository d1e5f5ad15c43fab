/**
 * KTX2 (Basis Universal) texture support, in a chunk of its own: the loader and its zstd decoder are
 * about a tenth of the first load's JavaScript, and most twins have no KTX2 texture. AssetModel
 * starts fetching it when the scene's code runs and waits for it before its first model.
 */
export { KTX2Loader } from 'three-stdlib';
