// opencc-js ships each dictionary as its own module (a "from to|from to" string) without types.
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
