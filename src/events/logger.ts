/** Where delivery reports what went wrong; console by default, quieter in tests. */
export type DeliveryLogger = Pick<Console, 'info' | 'warn' | 'error'>;
