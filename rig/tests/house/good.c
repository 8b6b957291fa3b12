// expect: 0
/* A file in shape: statics defined before use, short functions. */
#define DEFINE_THING(name) static int name(void) { return 0; }

static int good_helper(int x)
{
	return x + 1;
}

int exported(int x)
{
	return good_helper(x);
}
