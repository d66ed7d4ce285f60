// madge ships no types; only the part of its API the architecture test uses.
declare module 'madge' {
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string;
    includeNpm?: boolean;
    detectiveOptions?: Record<string, Record<string, boolean>>;
  }
  interface MadgeInstance {
    /** File (relative to the base dir) → the files it imports. */
    obj(): Record<string, string[]>;
    circular(): string[][];
    warnings(): { skipped: string[] };
  }
  function madge(path: string, config?: MadgeConfig): Promise<MadgeInstance>;
  export default madge;
}
