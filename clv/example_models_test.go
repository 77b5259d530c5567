package clv_test

import (
	"fmt"

	"github.com/parcours-dev/parcours/clv"
)

// The published CDNOW estimates (weeks) and the customer of Fader, Hardie
// and Lee's note: 2 repeat purchases, the last at week 30.43 of 38.86.
var (
	exBG   = clv.BGNBDModel{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	exMBG  = clv.MBGNBDModel{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614}
	exPNBD = clv.ParetoNBDModel{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	exGG   = clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	exC    = clv.Customer{X: 2, Tx: 30.43, T: 38.86, MeanValue: 30}
)

func ExampleBGNBDModel_ConditionalExpected() {
	// 1.226 in Fader, Hardie and Lee's note on the BG/NBD.
	e, err := exBG.ConditionalExpected(exC, 39)
	fmt.Printf("%.3f %v\n", e, err)
	// Output: 1.226 <nil>
}

func ExampleBGNBDModel_Kind() {
	fmt.Println(exBG.Kind())
	// Output: bgnbd
}

func ExampleBGNBDModel_LogLikelihood() {
	ll, err := exBG.LogLikelihood(exC)
	fmt.Printf("%.4f %v\n", ll, err)
	// Output: -9.4586 <nil>
}

func ExampleBGNBDModel_PAlive() {
	p, err := exBG.PAlive(exC)
	fmt.Printf("%.4f %v\n", p, err)
	// Output: 0.7266 <nil>
}

func ExampleBGNBDModel_Params() {
	fmt.Println(exBG.Params())
	// Output: [0.243 4.414 0.793 2.426]
}

func ExampleMBGNBDModel_ConditionalExpected() {
	e, err := exMBG.ConditionalExpected(exC, 39)
	fmt.Printf("%.3f %v\n", e, err)
	// Output: 1.263 <nil>
}

func ExampleMBGNBDModel_Kind() {
	fmt.Println(exMBG.Kind())
	// Output: mbgnbd
}

func ExampleMBGNBDModel_LogLikelihood() {
	ll, err := exMBG.LogLikelihood(exC)
	fmt.Printf("%.4f %v\n", ll, err)
	// Output: -9.4856 <nil>
}

func ExampleMBGNBDModel_PAlive() {
	p, err := exMBG.PAlive(exC)
	fmt.Printf("%.4f %v\n", p, err)
	// Output: 0.7062 <nil>
}

func ExampleMBGNBDModel_Params() {
	fmt.Println(exMBG.Params())
	// Output: [0.525 6.183 0.891 1.614]
}

func ExampleParetoNBDModel_ConditionalExpected() {
	e, err := exPNBD.ConditionalExpected(exC, 39)
	fmt.Printf("%.3f %v\n", e, err)
	// Output: 1.455 <nil>
}

func ExampleParetoNBDModel_Kind() {
	fmt.Println(exPNBD.Kind())
	// Output: pareto_nbd
}

func ExampleParetoNBDModel_LogLikelihood() {
	ll, err := exPNBD.LogLikelihood(exC)
	fmt.Printf("%.4f %v\n", ll, err)
	// Output: -9.5543 <nil>
}

func ExampleParetoNBDModel_PAlive() {
	p, err := exPNBD.PAlive(exC)
	fmt.Printf("%.4f %v\n", p, err)
	// Output: 0.8692 <nil>
}

func ExampleParetoNBDModel_Params() {
	fmt.Println(exPNBD.Params())
	// Output: [0.553 10.578 0.606 11.669]
}

func ExampleGammaGamma_LogLikelihood() {
	ll, err := exGG.LogLikelihood(exC)
	fmt.Printf("%.4f %v\n", ll, err)
	// Output: -3.8470 <nil>
}

func ExampleGammaGamma_Params() {
	fmt.Println(exGG.Params())
	// Output: [6.25 3.74 15.44]
}

func ExampleKind_ParamNames() {
	fmt.Println(clv.BGNBD.ParamNames(), clv.ParetoNBD.ParamNames(), clv.GammaGammaKind.ParamNames())
	// Output: [r alpha a b] [r alpha s beta] [p q gamma]
}

func ExampleModel_Validate() {
	fmt.Println(clv.Model{Kind: clv.BGNBD, Params: []float64{0.243, 4.414, 0.793, 2.426}}.Validate())
	fmt.Println(clv.Model{Kind: clv.BGNBD, Params: []float64{0.243, -4.414, 0.793, 2.426}}.Validate())
	// Output:
	// <nil>
	// clv: invalid parameters: bgnbd: alpha = -4.414, want a finite number > 0
}

func ExampleFitResult_Model() {
	f, err := clv.Fit(clv.BGNBD, cdnow())
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := f.Model()
	p, _ := m.PAlive(exC)
	fmt.Printf("%s P(alive) = %.3f\n", m.Kind(), p)
	// Output: bgnbd P(alive) = 0.727
}

func ExampleFitResult_GammaGamma() {
	f, err := clv.FitFrom(clv.GammaGammaKind, cdnow(), []float64{1, 1, 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	g, _ := f.GammaGamma()
	v, _ := g.ExpectedValue(exC)
	fmt.Printf("expected order value %.2f\n", v)
	// Output: expected order value 30.93
}
