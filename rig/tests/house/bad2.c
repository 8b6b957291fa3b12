// expect: 1
/* The other half of the static name used twice. */
static int helper(int x)
{
	return x;
}
