// libxml2's HTML parser. ICU is switched off before the other headers: with it on, Foundation and
// libxml2 disagree over ICU's types and the module does not build. parserInternals.h is for the SAX
// path, which sets up its parser context as htmlReadMemory does.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
