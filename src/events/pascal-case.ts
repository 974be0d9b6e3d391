/** TaskRouter's snake_case names (event_data keys, instruction keys) as Twilio's PascalCase parameter names. */
export function pascalCase(snake: string): string {
  return snake
    .split('_')
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}
